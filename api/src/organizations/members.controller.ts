import {
  API_PREFIX,
  type Invitation,
  type InviteMemberResponse,
  type Member,
  type Page,
} from '@cloop/contracts';
import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags, getSchemaPath } from '@nestjs/swagger';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { OrganizationAccess } from '../access/policies';
import { CurrentOrganization, CurrentUser } from '../access/scopes.decorator';
import { PageQueryDto } from '../common/pagination';
import type { RouteErrors } from '../openapi/api-errors';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import {
  InvitationPageDto,
  InviteMemberDto,
  InviteInvitedDto,
  InvitePendingDto,
  MemberDto,
  MemberPageDto,
  UpdateMemberDto,
} from './dto/members.dto';
import { MembersService } from './members.service';

const invalid = 'The body, query or a path id is not valid; `details` lists each problem';
const lastOwner: RouteErrors = { LAST_OWNER: 'The organization would be left without an owner' };
const noMember: RouteErrors = { MEMBER_NOT_FOUND: 'The user is not a member of this organization' };

@ApiTags('organizations')
@Controller(`${API_PREFIX}/organizations/:orgId`)
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get('members')
  @OrganizationAccess('member')
  @Endpoint({
    summary: 'Members of the organization and their roles',
    description: 'Any member may read the team. Keyset-paginated: pass `nextCursor` back as `cursor`.',
    ok: { type: MemberPageDto, description: 'A page of members' },
    invalid,
  })
  list(@CurrentOrganization() scope: OrganizationScope, @Query() query: PageQueryDto): Promise<Page<Member>> {
    return this.members.list(scope, query);
  }

  @Post('members')
  @OrganizationAccess('owner')
  @Endpoint({
    summary: 'Invite by email: nobody joins before they prove the address',
    description:
      'Owners only. An unknown email (`invited`) joins by signing up through the signed, single-use ' +
      'link of the invitation: e-mailed when this server sends e-mail, otherwise returned as `link` ' +
      'for the owner to pass on. An existing account (`pending`) accepts or declines in the console ' +
      '(`POST /api/v1/invitations/{id}/accept`), told by e-mail when e-mail is on. Inviting again ' +
      'renews the invitation and voids its earlier links. An invitation expires after 14 days. ' +
      'When e-mail is on, an address is sent at most `mailPerAddress` messages an hour (10 by ' +
      'default): beyond that the invitation is refused with 429 `RATE_LIMITED` and nothing changes.',
    extraModels: [InvitePendingDto, InviteInvitedDto],
    created: {
      description:
        '`pending`: the email has an account, which accepts in the console; `invited`: it joins ' +
        'through the invitation link',
      schema: {
        oneOf: [{ $ref: getSchemaPath(InvitePendingDto) }, { $ref: getSchemaPath(InviteInvitedDto) }],
        discriminator: { propertyName: 'status' },
      },
    },
    errors: { ALREADY_MEMBER: 'The email belongs to a member already' },
    invalid,
  })
  invite(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @Body() body: InviteMemberDto,
  ): Promise<InviteMemberResponse> {
    return this.members.invite(scope, principal, body);
  }

  @Patch('members/:userId')
  @OrganizationAccess('owner')
  @Endpoint({
    summary: "Change a member's role",
    description: 'Owners only. The last owner cannot step down: make someone else owner first.',
    ok: { type: MemberDto, description: 'The member with the new role' },
    errors: { ...lastOwner, ...noMember },
    invalid,
  })
  changeRole(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @UuidParam('userId') userId: string,
    @Body() body: UpdateMemberDto,
  ): Promise<Member> {
    return this.members.changeRole(scope, principal, userId, body.role);
  }

  @Delete('members/:userId')
  @OrganizationAccess('member')
  @Endpoint({
    summary: 'Remove a member (owners), or leave the organization (your own user id)',
    description: 'The removed member loses access at once; their earlier messages stay.',
    noContent: 'Removed',
    errors: {
      ...lastOwner,
      ...noMember,
      FORBIDDEN: 'A member below owner tried to remove someone else',
    },
    invalid,
  })
  async remove(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    await this.members.remove(scope, principal, userId);
  }

  @Get('invitations')
  @OrganizationAccess('member')
  @Endpoint({
    summary: 'Invitations waiting to be taken up',
    description:
      'Pending invitations, not yet expired. Keyset-paginated: pass `nextCursor` back as `cursor`.',
    ok: { type: InvitationPageDto, description: 'A page of invitations' },
    invalid,
  })
  listInvitations(
    @CurrentOrganization() scope: OrganizationScope,
    @Query() query: PageQueryDto,
  ): Promise<Page<Invitation>> {
    return this.members.listInvitations(scope, query);
  }

  @Delete('invitations/:invitationId')
  @OrganizationAccess('owner')
  @Endpoint({
    summary: 'Withdraw an invitation',
    description: 'Owners only. Signing up with that email afterwards no longer joins the organization.',
    noContent: 'Withdrawn',
    errors: { INVITATION_NOT_FOUND: 'No such pending invitation in this organization' },
    invalid,
  })
  async revokeInvitation(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() caller: Principal,
    @UuidParam('invitationId') invitationId: string,
  ): Promise<void> {
    await this.members.revokeInvitation(scope, caller, invitationId);
  }
}
