import {
  API_PREFIX,
  type Invitation,
  type InviteMemberResponse,
  type Member,
  type Page,
} from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { OrganizationAccess } from '../access/policies';
import { CurrentOrganization, CurrentUser } from '../access/scopes.decorator';
import { PageQueryDto } from '../common/pagination';
import { uuidParam } from '../common/uuid-param.pipe';
import { ApiErrors, ApiInvalidInput } from '../openapi/api-errors';
import { ApiUuidParam } from '../openapi/api-params';
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

const invalid = ApiInvalidInput('The body, query or a path id is not valid; `details` lists each problem');
const lastOwner = ApiErrors({ LAST_OWNER: 'The organization would be left without an owner' });
const noMember = ApiErrors({ MEMBER_NOT_FOUND: 'The user is not a member of this organization' });

@ApiTags('organizations')
@Controller(`${API_PREFIX}/organizations/:orgId`)
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get('members')
  @OrganizationAccess('member')
  @ApiOperation({
    summary: 'Members of the organization and their roles',
    description: 'Any member may read the team. Keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: MemberPageDto, description: 'A page of members' })
  @invalid
  list(@CurrentOrganization() scope: OrganizationScope, @Query() query: PageQueryDto): Promise<Page<Member>> {
    return this.members.list(scope, query);
  }

  @Post('members')
  @OrganizationAccess('owner')
  @ApiOperation({
    summary: 'Invite by email: nobody joins before they prove the address',
    description:
      'Owners only. An unknown email (`invited`) joins by signing up through the signed, single-use ' +
      'link of the invitation: e-mailed when this server sends e-mail, otherwise returned as `link` ' +
      'for the owner to pass on. An existing account (`pending`) accepts or declines in the console ' +
      '(`POST /api/v1/invitations/{id}/accept`), told by e-mail when e-mail is on. Inviting again ' +
      'renews the invitation and voids its earlier links. An invitation expires after 14 days.',
  })
  @ApiExtraModels(InvitePendingDto, InviteInvitedDto)
  @ApiCreatedResponse({
    description:
      '`pending`: the email has an account, which accepts in the console; `invited`: it joins ' +
      'through the invitation link',
    schema: {
      oneOf: [{ $ref: getSchemaPath(InvitePendingDto) }, { $ref: getSchemaPath(InviteInvitedDto) }],
      discriminator: { propertyName: 'status' },
    },
  })
  @ApiErrors({ ALREADY_MEMBER: 'The email belongs to a member already' })
  @invalid
  invite(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @Body() body: InviteMemberDto,
  ): Promise<InviteMemberResponse> {
    return this.members.invite(scope, principal, body);
  }

  @Patch('members/:userId')
  @OrganizationAccess('owner')
  @ApiOperation({
    summary: "Change a member's role",
    description: 'Owners only. The last owner cannot step down: make someone else owner first.',
  })
  @ApiOkResponse({ type: MemberDto, description: 'The member with the new role' })
  @noMember
  @lastOwner
  @invalid
  @ApiUuidParam('userId')
  changeRole(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @Param('userId', uuidParam) userId: string,
    @Body() body: UpdateMemberDto,
  ): Promise<Member> {
    return this.members.changeRole(scope, principal, userId, body.role);
  }

  @Delete('members/:userId')
  @OrganizationAccess('member')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a member (owners), or leave the organization (your own user id)',
    description: 'The removed member loses access at once; their earlier messages stay.',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors({ FORBIDDEN: 'A member below owner tried to remove someone else' })
  @noMember
  @lastOwner
  @invalid
  @ApiUuidParam('userId')
  async remove(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @Param('userId', uuidParam) userId: string,
  ): Promise<void> {
    await this.members.remove(scope, principal, userId);
  }

  @Get('invitations')
  @OrganizationAccess('member')
  @ApiOperation({
    summary: 'Invitations waiting to be taken up',
    description:
      'Pending invitations, not yet expired. Keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: InvitationPageDto, description: 'A page of invitations' })
  @invalid
  listInvitations(
    @CurrentOrganization() scope: OrganizationScope,
    @Query() query: PageQueryDto,
  ): Promise<Page<Invitation>> {
    return this.members.listInvitations(scope, query);
  }

  @Delete('invitations/:invitationId')
  @OrganizationAccess('owner')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Withdraw an invitation',
    description: 'Owners only. Signing up with that email afterwards no longer joins the organization.',
  })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiErrors({ INVITATION_NOT_FOUND: 'No such pending invitation in this organization' })
  @invalid
  @ApiUuidParam('invitationId')
  async revokeInvitation(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() caller: Principal,
    @Param('invitationId', uuidParam) invitationId: string,
  ): Promise<void> {
    await this.members.revokeInvitation(scope, caller, invitationId);
  }
}
