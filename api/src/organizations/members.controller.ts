import {
  API_PREFIX,
  type Invitation,
  type InviteMemberResponse,
  type Member,
  type Page,
} from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
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
import { ErrorResponseDto } from '../common/error-response.dto';
import { PageQueryDto } from '../common/pagination';
import { uuidParam } from '../common/uuid-param.pipe';
import {
  InvitationPageDto,
  InviteMemberDto,
  InviteInvitedDto,
  InviteJoinedDto,
  MemberDto,
  MemberPageDto,
  UpdateMemberDto,
} from './dto/members.dto';
import { MembersService } from './members.service';

const invalid = ApiBadRequestResponse({ description: 'Invalid body or parameter', type: ErrorResponseDto });
const lastOwner = ApiConflictResponse({
  description: 'LAST_OWNER: the organization would have no owner',
  type: ErrorResponseDto,
});

@ApiTags('organizations')
@Controller(`${API_PREFIX}/organizations/:orgId`)
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get('members')
  @OrganizationAccess('member')
  @ApiOperation({ summary: 'Members of the organization and their roles' })
  @ApiOkResponse({ type: MemberPageDto })
  list(@CurrentOrganization() scope: OrganizationScope, @Query() query: PageQueryDto): Promise<Page<Member>> {
    return this.members.list(scope, query);
  }

  @Post('members')
  @OrganizationAccess('owner')
  @ApiOperation({
    summary: 'Invite by email: an existing user joins at once, an unknown email when it signs up',
  })
  @ApiExtraModels(InviteJoinedDto, InviteInvitedDto)
  @ApiCreatedResponse({
    description:
      '`joined`: the email had an account and is a member now; `invited`: it joins when it signs up',
    schema: {
      oneOf: [{ $ref: getSchemaPath(InviteJoinedDto) }, { $ref: getSchemaPath(InviteInvitedDto) }],
      discriminator: { propertyName: 'status' },
    },
  })
  @ApiConflictResponse({ description: 'ALREADY_MEMBER', type: ErrorResponseDto })
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
  @ApiOperation({ summary: "Change a member's role" })
  @ApiOkResponse({ type: MemberDto })
  @lastOwner
  @invalid
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
  @ApiOperation({ summary: 'Remove a member (owners), or leave the organization (your own user id)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'Only owners may remove someone else', type: ErrorResponseDto })
  @lastOwner
  async remove(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @Param('userId', uuidParam) userId: string,
  ): Promise<void> {
    await this.members.remove(scope, principal, userId);
  }

  @Get('invitations')
  @OrganizationAccess('member')
  @ApiOperation({ summary: 'Invitations waiting for their email to sign up' })
  @ApiOkResponse({ type: InvitationPageDto })
  listInvitations(
    @CurrentOrganization() scope: OrganizationScope,
    @Query() query: PageQueryDto,
  ): Promise<Page<Invitation>> {
    return this.members.listInvitations(scope, query);
  }

  @Delete('invitations/:invitationId')
  @OrganizationAccess('owner')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw an invitation' })
  @ApiNoContentResponse()
  async revokeInvitation(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() caller: Principal,
    @Param('invitationId', uuidParam) invitationId: string,
  ): Promise<void> {
    await this.members.revokeInvitation(scope, caller, invitationId);
  }
}
