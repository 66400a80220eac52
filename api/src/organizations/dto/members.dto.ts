import {
  EMAIL_MAX_LENGTH,
  type Invitation,
  MAIL_LOCALES,
  type MailLocale,
  type InviteMemberRequest,
  type Member,
  type Page,
  type Role,
  ROLES,
  type UpdateMemberRequest,
} from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { EXAMPLE } from '../../openapi/example-values';

export class InviteMemberDto implements InviteMemberRequest {
  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;

  @ApiProperty({ enum: ROLES, example: 'member' })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({
    enum: MAIL_LOCALES,
    required: false,
    example: 'fi',
    description: 'Language of the invitation e-mail',
  })
  @IsOptional()
  @IsIn(MAIL_LOCALES)
  locale?: MailLocale;
}

export class UpdateMemberDto implements UpdateMemberRequest {
  @ApiProperty({ enum: ROLES, example: 'admin' })
  @IsIn(ROLES)
  role: Role;
}

export class MemberDto implements Member {
  @ApiProperty({ example: EXAMPLE.userId, format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'grace@example.com' })
  email: string;

  @ApiProperty({ example: 'Grace Hopper' })
  name: string;

  @ApiProperty({ example: 'member', enum: ROLES })
  role: Role;

  @ApiProperty({ example: EXAMPLE.createdAt, format: 'date-time' })
  joinedAt: string;
}

export class MemberPageDto implements Page<Member> {
  @ApiProperty({ type: [MemberDto] })
  items: MemberDto[];

  @ApiProperty({ example: EXAMPLE.cursor, type: String, nullable: true })
  nextCursor: string | null;
}

export class InvitationDto implements Invitation {
  @ApiProperty({ example: EXAMPLE.invitationId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'grace@example.com' })
  email: string;

  @ApiProperty({ example: 'member', enum: ROLES })
  role: Role;

  @ApiProperty({ example: EXAMPLE.at, format: 'date-time' })
  invitedAt: string;

  @ApiProperty({ example: '2026-12-12T10:05:42.118Z', format: 'date-time' })
  expiresAt: string;
}

export class InvitationPageDto implements Page<Invitation> {
  @ApiProperty({ type: [InvitationDto] })
  items: InvitationDto[];

  @ApiProperty({ example: EXAMPLE.cursor, type: String, nullable: true })
  nextCursor: string | null;
}

/** An account has this email: it accepts (or declines) the invitation in the console. */
export class InvitePendingDto {
  @ApiProperty({ example: 'pending', enum: ['pending'] })
  status: 'pending';

  @ApiProperty({ type: InvitationDto })
  invitation: InvitationDto;
}

/** No account has this email yet: it joins by signing up through the invitation's signed link. */
export class InviteInvitedDto {
  @ApiProperty({ example: 'invited', enum: ['invited'] })
  status: 'invited';

  @ApiProperty({ type: InvitationDto })
  invitation: InvitationDto;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      'The signed link when this server sends no e-mail: pass it on to the person yourself. `null` ' +
      'when it was e-mailed to them.',
  })
  link: string | null;
}
