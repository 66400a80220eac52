import {
  SSO_MAX_DOMAINS,
  SSO_NEW_USER_ROLES,
  type SsoCallbackRequest,
  type SsoNewUserRole,
  type SsoSettings,
  type SsoStartRequest,
  type SsoStartResponse,
  type UpdateSsoSettingsRequest,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

import { EXAMPLE } from '../../openapi/example-values';

/** A host name of at least two labels, letters, digits and hyphens (IDNs in their `xn--` form). */
const DOMAIN = /^(?=.{1,253}$)(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;
const ISSUER_EXAMPLE = 'https://login.example.com/realms/staff';
const REDIRECT_EXAMPLE = 'https://chat.example.com/console/sso-callback';

export class UpdateSsoSettingsDto implements UpdateSsoSettingsRequest {
  @ApiProperty({ example: true, description: 'On: staff may sign in through the provider' })
  @IsBoolean()
  enabled: boolean;

  @ApiProperty({
    example: ISSUER_EXAMPLE,
    maxLength: 2048,
    description: "The provider's issuer; https (http only where `CRAWL_ALLOW_PRIVATE_NETWORKS` is on)",
  })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  issuer: string;

  @ApiProperty({ example: 'cloop', maxLength: 255 })
  @IsString()
  @Matches(/\S/, { message: 'clientId must not be blank' })
  @MaxLength(255)
  clientId: string;

  @ApiPropertyOptional({
    example: 'kq3Vd9…',
    maxLength: 1024,
    writeOnly: true,
    description: 'Stored encrypted and never returned; omitted: keep the stored one (needed the first time)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  clientSecret?: string;

  @ApiProperty({
    type: String,
    isArray: true,
    example: ['example.com'],
    maxItems: SSO_MAX_DOMAINS,
    description: 'E-mail domains whose verified addresses may sign in; each belongs to one organization',
  })
  @IsArray()
  @ArrayMaxSize(SSO_MAX_DOMAINS)
  @Matches(DOMAIN, { each: true, message: 'each allowed domain must be a domain name such as example.com' })
  allowedDomains: string[];

  @ApiProperty({
    enum: SSO_NEW_USER_ROLES,
    example: 'member',
    description: 'The role of someone who joins by SSO',
  })
  @IsIn(SSO_NEW_USER_ROLES)
  newUserRole: SsoNewUserRole;

  @ApiProperty({
    example: false,
    description: 'Members must sign in through the provider; owners keep password sign-in, audited',
  })
  @IsBoolean()
  ssoOnly: boolean;
}

export class SsoSettingsDto implements SsoSettings {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.organizationId })
  organizationId: string;

  @ApiProperty({ example: true })
  enabled: boolean;

  @ApiProperty({ type: String, nullable: true, example: ISSUER_EXAMPLE })
  issuer: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'cloop' })
  clientId: string | null;

  @ApiProperty({ example: true, description: 'Whether a client secret is stored (it is never returned)' })
  clientSecretSet: boolean;

  @ApiProperty({ type: String, isArray: true, example: ['example.com'] })
  allowedDomains: string[];

  @ApiProperty({ enum: SSO_NEW_USER_ROLES, example: 'member' })
  newUserRole: SsoNewUserRole;

  @ApiProperty({ example: false })
  ssoOnly: boolean;

  @ApiProperty({ example: REDIRECT_EXAMPLE, description: 'The redirect URI to register at the provider' })
  redirectUri: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-07T10:00:00.000Z' })
  updatedAt: string | null;
}

export class SsoStartDto implements SsoStartRequest {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class SsoStartResponseDto implements SsoStartResponse {
  @ApiProperty({ example: `${ISSUER_EXAMPLE}/protocol/openid-connect/auth?client_id=cloop&…` })
  authorizationUrl: string;
}

export class SsoCallbackDto implements SsoCallbackRequest {
  @ApiProperty({
    example: '?code=Zx8v1pQ…&state=k2Jd…&iss=https%3A%2F%2Flogin.example.com%2Frealms%2Fstaff',
    maxLength: 4096,
    description:
      "The query string the provider sent the browser back to the console's sso-callback page with",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  query: string;
}
