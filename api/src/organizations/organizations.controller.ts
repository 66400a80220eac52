import { API_PREFIX, type Organization } from '@cloop/contracts';
import { Body, Controller, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { OrganizationAccess } from '../access/policies';
import { CurrentOrganization, CurrentUser } from '../access/scopes.decorator';
import { Endpoint } from '../openapi/endpoint';
import { OrganizationDto, RenameOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('organizations')
@Controller(`${API_PREFIX}/organizations/:orgId`)
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Patch()
  @OrganizationAccess('owner')
  @Endpoint({
    summary: 'Rename the organization',
    description: 'Owners only. Recorded in the audit trail (without the name).',
    ok: { type: OrganizationDto, description: 'The organization with its new name' },
    invalid: '`name` is blank or longer than 100 characters',
  })
  rename(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() caller: Principal,
    @Body() body: RenameOrganizationDto,
  ): Promise<Organization> {
    return this.organizations.rename(scope, caller, body);
  }
}
