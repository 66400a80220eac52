import { type ApiKeyScope, apiKeyAllows, type Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import { AccessCache } from './access-cache';
import {
  type ApiKeyCaller,
  hasRole,
  type OrganizationScope,
  type Principal,
  type SiteScope,
} from './access-policy';
import { AccessRepository } from './access.repository';

/**
 * Tenant boundaries. Outsiders get 404 (a site or organization they cannot see does not exist for
 * them); members without the role get 403.
 *
 * An API key decides on top of its creator: only its own organization exists for it (404 elsewhere,
 * like for any outsider), then its scopes (403), then its creator's role as it is now (403).
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly access: AccessRepository,
    private readonly cache: AccessCache,
  ) {}

  async requireOrganizationRole(
    userId: string,
    organizationId: string,
    minRole: Role,
  ): Promise<OrganizationScope> {
    const role = isUuid(organizationId)
      ? await this.cache.lookup(userId, `organization:${organizationId}`, () =>
          this.access.findOrganizationRole(organizationId, userId),
        )
      : null;
    if (role === null) throw new DomainError('ORGANIZATION_NOT_FOUND', 'Organization not found');
    if (!hasRole(role, minRole)) throw forbidden(minRole);
    return { organizationId, role };
  }

  async requireSiteRole(userId: string, siteId: string, minRole: Role): Promise<SiteScope> {
    const found = isUuid(siteId)
      ? await this.cache.lookup(userId, `site:${siteId}`, () => this.access.findSiteRole(siteId, userId))
      : null;
    if (found === null) throw new DomainError('SITE_NOT_FOUND', 'Site not found');
    if (!hasRole(found.role, minRole)) throw forbidden(minRole);
    return { siteId, ...found };
  }

  /** Whether any site lets the widget run on this origin (what a CORS preflight can ask). */
  isOriginAllowedAnywhere(origin: string): Promise<boolean> {
    return this.access.isOriginAllowedAnywhere(origin);
  }

  /**
   * {@link requireOrganizationRole} for whoever called, a person or an API key (whose scope the
   * route has checked already): for routes that name the organization in the body or query.
   */
  requireCallerOrganizationRole(
    caller: Principal,
    organizationId: string,
    minRole: Role,
  ): Promise<OrganizationScope> {
    return caller.apiKey
      ? this.requireKeyOrganizationRole(caller.userId, caller.apiKey, organizationId, minRole, null)
      : this.requireOrganizationRole(caller.userId, organizationId, minRole);
  }

  /** `required` `null`: the route checked the key's scope already. */
  async requireKeyOrganizationRole(
    creatorId: string,
    key: ApiKeyCaller,
    organizationId: string,
    minRole: Role,
    required: ApiKeyScope | null,
  ): Promise<OrganizationScope> {
    if (organizationId !== key.organizationId) {
      throw new DomainError('ORGANIZATION_NOT_FOUND', 'Organization not found');
    }
    requireScope(key, required);
    return this.requireOrganizationRole(creatorId, organizationId, minRole);
  }

  async requireKeySiteRole(
    creatorId: string,
    key: ApiKeyCaller,
    siteId: string,
    minRole: Role,
    required: ApiKeyScope,
  ): Promise<SiteScope> {
    const scope = await this.requireSiteRole(creatorId, siteId, 'member');
    if (scope.organizationId !== key.organizationId)
      throw new DomainError('SITE_NOT_FOUND', 'Site not found');
    requireScope(key, required);
    if (!hasRole(scope.role, minRole)) throw forbidden(minRole);
    return scope;
  }
}

export function requireScope(key: ApiKeyCaller, required: ApiKeyScope | null): void {
  if (required !== null && !apiKeyAllows(key.scopes, required)) {
    throw new DomainError('FORBIDDEN', `This API key lacks the ${required} scope`);
  }
}

function forbidden(minRole: Role): DomainError {
  return new DomainError('FORBIDDEN', `This action requires the ${minRole} role or higher`);
}
