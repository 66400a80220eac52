import type { Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import { AccessCache } from './access-cache';
import { hasRole, type OrganizationScope, type SiteScope } from './access-policy';
import { AccessRepository } from './access.repository';

/**
 * Tenant boundaries. Outsiders get 404 (a site or organization they cannot see does not exist for
 * them); members without the role get 403.
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
}

function forbidden(minRole: Role): DomainError {
  return new DomainError('FORBIDDEN', `This action requires the ${minRole} role or higher`);
}
