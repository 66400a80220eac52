import {
  type Organization,
  ORGANIZATION_NAME_MAX_LENGTH,
  type RenameOrganizationRequest,
} from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

import { EXAMPLE } from '../../openapi/example-values';

export class RenameOrganizationDto implements RenameOrganizationRequest {
  @ApiProperty({ example: 'Acme Ltd', maxLength: ORGANIZATION_NAME_MAX_LENGTH })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(ORGANIZATION_NAME_MAX_LENGTH)
  name: string;
}

export class OrganizationDto implements Organization {
  @ApiProperty({ example: EXAMPLE.organizationId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Acme Ltd' })
  name: string;
}
