import { API_PREFIX, type OrganizationMembership, type PendingInvitation } from '@cloop/contracts';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '../access/access-policy';
import { Authenticated } from '../access/policies';
import { CurrentUser } from '../access/scopes.decorator';
import type { RouteErrors } from '../openapi/api-errors';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import {
  AcceptInvitationLinkDto,
  JoinedOrganizationDto,
  PendingInvitationDto,
} from './dto/my-invitations.dto';
import { MyInvitationsService } from './my-invitations.service';

const invalid = 'The body or a path id is not valid; `details` lists each problem';
const notFound: RouteErrors = { INVITATION_NOT_FOUND: 'No pending invitation with this id for your address' };
const alreadyMember: RouteErrors = { ALREADY_MEMBER: 'You are a member of that organization already' };

@ApiTags('invitations')
@Controller(`${API_PREFIX}/invitations`)
export class MyInvitationsController {
  constructor(private readonly invitations: MyInvitationsService) {}

  @Get()
  @Authenticated()
  @Endpoint({
    summary: "Invitations to the signed-in user's address, waiting for an answer",
    description: "Unexpired invitations of any organization to this account's e-mail address, newest first.",
    ok: { type: [PendingInvitationDto], description: 'Their pending invitations' },
  })
  list(@CurrentUser() principal: Principal): Promise<PendingInvitation[]> {
    return this.invitations.list(principal);
  }

  @Post(':invitationId/accept')
  @Authenticated()
  @Endpoint({
    summary: 'Accept an invitation: join the organization with the invited role',
    description:
      'The account must own the address: it existed before the invitation was made, or its address ' +
      'was confirmed (a verification or invitation link was opened).',
    ok: { type: JoinedOrganizationDto, description: 'Joined' },
    errors: {
      ...alreadyMember,
      ...notFound,
      EMAIL_NOT_VERIFIED: 'The account is newer than the invitation and its address is not confirmed',
    },
    invalid,
  })
  accept(
    @CurrentUser() principal: Principal,
    @UuidParam('invitationId') invitationId: string,
  ): Promise<OrganizationMembership> {
    return this.invitations.accept(principal, invitationId);
  }

  @Post(':invitationId/decline')
  @Authenticated()
  @Endpoint({
    summary: 'Decline an invitation: it is removed',
    description: 'The inviting owners see it gone.',
    noContent: 'Declined',
    errors: notFound,
    invalid,
  })
  async decline(
    @CurrentUser() principal: Principal,
    @UuidParam('invitationId') invitationId: string,
  ): Promise<void> {
    await this.invitations.decline(principal, invitationId);
  }

  @Post('accept-link')
  @Authenticated()
  @Endpoint({
    summary: 'Take up a signed invitation link while signed in',
    description:
      'For someone who already has an account (or made one without the link): the link must be for ' +
      "this account's address. It works once, and confirms the address.",
    ok: { type: JoinedOrganizationDto, description: 'Joined' },
    errors: {
      ...alreadyMember,
      INVITATION_LINK_INVALID: 'The link is tampered with, expired, used, renewed or for another address',
    },
    invalid,
  })
  acceptLink(
    @CurrentUser() principal: Principal,
    @Body() body: AcceptInvitationLinkDto,
  ): Promise<OrganizationMembership> {
    return this.invitations.acceptLink(principal, body.token);
  }
}
