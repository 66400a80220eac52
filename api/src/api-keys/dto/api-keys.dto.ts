import {
  API_KEY_NAME_MAX_LENGTH,
  API_KEY_SCOPES,
  type ApiKey,
  type ApiKeyScope,
  type ApiKeyWithSecret,
  type CreateApiKeyRequest,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

import { EXAMPLE } from '../../openapi/example-values';

const SCOPES_EXAMPLE: ApiKeyScope[] = ['conversations:read', 'privacy:read'];
const SECRET_EXAMPLE = 'ck_3q2-7wEj8Zl9Xk4pM1nB6vC0aS5dF2gH7jK9lQ8wE4r';

export class CreateApiKeyDto implements CreateApiKeyRequest {
  @ApiProperty({ example: 'CRM sync', maxLength: API_KEY_NAME_MAX_LENGTH })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(API_KEY_NAME_MAX_LENGTH)
  name: string;

  @ApiProperty({
    enum: API_KEY_SCOPES,
    isArray: true,
    example: SCOPES_EXAMPLE,
    description: 'At least one; `<area>:write` includes `<area>:read`',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true, message: `scopes must be among ${API_KEY_SCOPES.join(', ')}` })
  scopes: ApiKeyScope[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2027-06-30T00:00:00.000Z',
    description: 'In the future; omitted or `null`: the key never expires',
  })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsISO8601({ strict: true })
  expiresAt?: string | null;
}

class ApiKeyCreatorDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.userId })
  userId: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;
}

export class ApiKeyDto implements ApiKey {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.apiKeyId })
  id: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE.organizationId })
  organizationId: string;

  @ApiProperty({ example: 'CRM sync' })
  name: string;

  @ApiProperty({ example: SECRET_EXAMPLE.slice(0, 9), description: 'The first characters of the secret' })
  prefix: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: SCOPES_EXAMPLE })
  scopes: ApiKeyScope[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  expiresAt: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: EXAMPLE.updatedAt,
    description: 'When the key was last accepted, to the minute',
  })
  lastUsedAt: string | null;

  @ApiProperty({ format: 'date-time', example: EXAMPLE.createdAt })
  createdAt: string;

  @ApiProperty({
    type: ApiKeyCreatorDto,
    nullable: true,
    description: "The key acts with this person's current role; `null` once the account is deleted",
  })
  createdBy: ApiKeyCreatorDto | null;
}

export class ApiKeyWithSecretDto implements ApiKeyWithSecret {
  @ApiProperty({ type: ApiKeyDto })
  apiKey: ApiKeyDto;

  @ApiProperty({
    example: SECRET_EXAMPLE,
    description: 'Send as `Authorization: Bearer ck_…`. Shown only now: Cloop keeps a keyed hash of it',
  })
  secret: string;
}
