import { API_PREFIX, type SsoSettings } from '@cloop/contracts';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { OrganizationAccess } from '../access/policies';
import { CurrentOrganization, CurrentUser } from '../access/scopes.decorator';
import { Endpoint } from '../openapi/endpoint';
import { SsoSettingsDto, UpdateSsoSettingsDto } from './dto/sso.dto';
import { SsoSettingsService } from './sso-settings.service';

/** Owners only, signed in as themselves: who may sign in is the owners' decision. */
@ApiTags('sso')
@Controller(`${API_PREFIX}/organizations/:orgId/sso`)
export class SsoSettingsController {
  constructor(private readonly settings: SsoSettingsService) {}

  @Get()
  @OrganizationAccess('owner')
  @Endpoint({
    summary: "The organization's single sign-on settings (never the client secret)",
    description: 'Also the redirect URI to register at the identity provider. Off until set.',
    ok: { type: SsoSettingsDto, description: 'The settings' },
  })
  get(@CurrentOrganization() scope: OrganizationScope): Promise<SsoSettings> {
    return this.settings.get(scope);
  }

  @Put()
  @OrganizationAccess('owner')
  @Endpoint({
    summary: 'Replace the single sign-on settings',
    description:
      'The client secret is stored encrypted; leave it out to keep the stored one. Recorded in the ' +
      'audit trail (without the secret).',
    ok: { type: SsoSettingsDto, description: 'The settings as stored' },
    errors: { SSO_DOMAIN_TAKEN: 'Another organization already signs in one of these domains' },
    invalid: 'A field is missing or not valid (an http issuer, a malformed domain, no secret yet)',
  })
  update(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @Body() body: UpdateSsoSettingsDto,
  ): Promise<SsoSettings> {
    return this.settings.update(scope, principal, body);
  }
}
