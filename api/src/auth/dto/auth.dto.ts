import {
  EMAIL_MAX_LENGTH,
  MAIL_LOCALES,
  type MailLocale,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  type AuthResponse,
  type ChangePasswordRequest,
  type LoginRequest,
  type LogoutRequest,
  type MeResponse,
  type OrganizationMembership,
  type RefreshRequest,
  type Role,
  ROLES,
  type SignupRequest,
  type User,
} from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EXAMPLE } from '../../openapi/example-values';
import { SIGNED_TOKEN } from '../../mail/signed-links';

/** Refresh tokens are 43 base64url characters; anything else is refused before touching the database. */
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

// Passwords are length-checked by the service (in characters, with a clear message); the DTO only
// bounds the size so a huge string never reaches argon2.
const PASSWORD_INPUT_MAX = PASSWORD_MAX_LENGTH * 4;

export class SignupDto implements SignupRequest {
  @ApiProperty({ example: 'ada@example.com', maxLength: EMAIL_MAX_LENGTH })
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  password: string;

  @ApiProperty({ example: 'Ada Lovelace', maxLength: NAME_MAX_LENGTH })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(NAME_MAX_LENGTH)
  name: string;

  @ApiProperty({
    enum: MAIL_LOCALES,
    required: false,
    example: 'en',
    description: 'Language of their e-mail',
  })
  @IsOptional()
  @IsIn(MAIL_LOCALES)
  locale?: MailLocale;

  @ApiProperty({
    required: false,
    description:
      'The token of an invitation link for this email (after `#token=`): proves the address and joins the inviting organization',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1600)
  @Matches(SIGNED_TOKEN, { message: 'invitationToken is not a Cloop invitation link token' })
  invitationToken?: string;
}

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_INPUT_MAX)
  password: string;
}

export class RefreshDto implements RefreshRequest, LogoutRequest {
  @ApiProperty({
    description: 'The refresh token from the last sign-in or refresh',
    example: 'q2v6Hn0bS8yWcE4tLr7uJd1kXa9PfZ3mGo5iBt2eR6w',
  })
  @IsString()
  @Matches(REFRESH_TOKEN, { message: 'refreshToken is not a Cloop refresh token' })
  refreshToken: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_INPUT_MAX)
  currentPassword: string;

  @ApiProperty({
    example: 'a longer passphrase nobody guesses',
    minLength: 8,
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  newPassword: string;
}

export class UserDto implements User {
  @ApiProperty({ example: EXAMPLE.userId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ example: EXAMPLE.createdAt, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ example: true, description: 'The address was confirmed by a link sent to it' })
  emailVerified: boolean;
}

export class AuthResponseDto implements AuthResponse {
  @ApiProperty({
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1YjBjMmY5ZSJ9.c2lnbmF0dXJl',
    description: 'JWT for `Authorization: Bearer`; valid 15 minutes',
  })
  accessToken: string;

  @ApiProperty({ example: '2026-11-28T10:20:42.000Z', format: 'date-time' })
  accessTokenExpiresAt: string;

  @ApiProperty({
    example: 'q2v6Hn0bS8yWcE4tLr7uJd1kXa9PfZ3mGo5iBt2eR6w',
    description: 'Opaque; single use: every refresh returns a new one',
  })
  refreshToken: string;

  @ApiProperty({ example: '2026-12-28T10:05:42.000Z', format: 'date-time' })
  refreshTokenExpiresAt: string;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class OrganizationMembershipDto implements OrganizationMembership {
  @ApiProperty({ example: EXAMPLE.organizationId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: "Ada Lovelace's organization" })
  name: string;

  @ApiProperty({ example: 'owner', enum: ROLES })
  role: Role;
}

export class MeResponseDto implements MeResponse {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: [OrganizationMembershipDto] })
  organizations: OrganizationMembershipDto[];
}
