import { API_PREFIX, type ApiKey, type ApiKeyWithSecret } from '@cloop/contracts';
import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { OrganizationAccess } from '../access/policies';
import { CurrentOrganization, CurrentUser } from '../access/scopes.decorator';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyWithSecretDto, CreateApiKeyDto } from './dto/api-keys.dto';

/** Managed by owners and admins signed in as themselves: an API key cannot manage keys. */
@ApiTags('api-keys')
@Controller(`${API_PREFIX}/organizations/:orgId/api-keys`)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @OrganizationAccess('admin')
  @Endpoint({
    summary: "The organization's API keys that are not revoked, oldest first (never their secrets)",
    description: 'Owners and admins, signed in as themselves. Expired keys are listed until revoked.',
    ok: { type: ApiKeyDto, isArray: true, description: 'The keys' },
  })
  list(@CurrentOrganization() scope: OrganizationScope): Promise<ApiKey[]> {
    return this.apiKeys.list(scope);
  }

  @Post()
  @OrganizationAccess('admin')
  @Endpoint({
    summary: 'Create an API key; the answer holds its secret, shown only now',
    description:
      'The key acts for its creator: at every use it is limited by its scopes and by the role its ' +
      'creator has in the organization at that moment, and it stops working when the creator leaves. ' +
      'Recorded in the audit trail.',
    created: { type: ApiKeyWithSecretDto, description: 'The key and its secret' },
    errors: { API_KEY_LIMIT_REACHED: 'The organization already has 50 keys that are not revoked' },
    invalid: '`name` is blank, `scopes` names an unknown scope, or `expiresAt` is not in the future',
  })
  create(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @Body() body: CreateApiKeyDto,
  ): Promise<ApiKeyWithSecret> {
    return this.apiKeys.create(scope, principal, body);
  }

  @Delete(':apiKeyId')
  @OrganizationAccess('admin')
  @Endpoint({
    summary: 'Revoke an API key: refused from the next request on',
    description: 'Recorded in the audit trail.',
    noContent: 'Revoked',
    errors: { API_KEY_NOT_FOUND: 'No such key in this organization, or it was revoked already' },
  })
  revoke(
    @CurrentOrganization() scope: OrganizationScope,
    @CurrentUser() principal: Principal,
    @UuidParam('apiKeyId') apiKeyId: string,
  ): Promise<void> {
    return this.apiKeys.revoke(scope, principal, apiKeyId);
  }
}
