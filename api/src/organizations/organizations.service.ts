import type { Organization, RenameOrganizationRequest } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { TransactionRunner } from '../database/transactions';
import { OrganizationsRepository } from './organizations.repository';

/** The organization itself (its team is {@link MembersService}'s). */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async rename(
    scope: OrganizationScope,
    caller: Principal,
    request: RenameOrganizationRequest,
  ): Promise<Organization> {
    const name = request.name.trim();
    return this.transactions.run(async (tx) => {
      if (!(await this.organizations.rename(tx, scope.organizationId, name))) {
        throw new DomainError('ORGANIZATION_NOT_FOUND', 'Organization not found');
      }
      // The trail keeps ids and counts only (AUDIT_ACTIONS): the new name is in the table itself.
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: { kind: 'user', userId: caller.userId },
        action: 'organization.renamed',
        target: { type: 'organization', id: scope.organizationId },
        details: {},
      });
      return { id: scope.organizationId, name };
    });
  }
}
