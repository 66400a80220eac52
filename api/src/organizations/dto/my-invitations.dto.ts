import {
  type AcceptInvitationLinkRequest,
  type OrganizationMembership,
  type PendingInvitation,
  type Role,
  ROLES,
} from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

import { SIGNED_TOKEN } from '../../mail/signed-links';
import { EXAMPLE } from '../../openapi/example-values';

export class AcceptInvitationLinkDto implements AcceptInvitationLinkRequest {
  @ApiProperty({
    description: 'The token from the invitation link (after `#token=`)',
    example: 'eyJwIjoiaW52aXRhdGlvbiJ9.q2v6Hn0bS8yWcE4tLr7uJd1kXa9PfZ3mGo5iBt2eR6w',
  })
  @IsString()
  @MaxLength(1600)
  @Matches(SIGNED_TOKEN, { message: 'token is not a Cloop invitation link token' })
  token: string;
}

export class PendingInvitationDto implements PendingInvitation {
  @ApiProperty({ example: EXAMPLE.invitationId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: EXAMPLE.organizationId, format: 'uuid' })
  organizationId: string;

  @ApiProperty({ example: 'Acme' })
  organizationName: string;

  @ApiProperty({ example: 'member', enum: ROLES })
  role: Role;

  @ApiProperty({ example: 'Ada Lovelace', type: String, nullable: true })
  invitedBy: string | null;

  @ApiProperty({ example: EXAMPLE.at, format: 'date-time' })
  invitedAt: string;

  @ApiProperty({ example: '2026-12-12T10:05:42.118Z', format: 'date-time' })
  expiresAt: string;
}

/** The organization an accepted invitation joined, with the role it gave. */
export class JoinedOrganizationDto implements OrganizationMembership {
  @ApiProperty({ example: EXAMPLE.organizationId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Acme' })
  name: string;

  @ApiProperty({ example: 'member', enum: ROLES })
  role: Role;
}
