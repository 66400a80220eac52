import {
  type ApiKey,
  type ApiKeyWithSecret,
  type CreateApiKeyRequest,
  MAX_API_KEYS_PER_ORGANIZATION,
} from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { OrganizationScope, Principal, SiteScope } from '../access/access-policy';
import { actorOf, AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { TransactionRunner } from '../database/transactions';
import { mapApiKey } from './api-key.mapper';
import { ApiKeySecrets } from './api-key-secrets';
import { ApiKeysRepository } from './api-keys.repository';

/** Organization API keys: created, listed and revoked by owners and admins (people, never keys). */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly secrets: ApiKeySecrets,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async list(scope: OrganizationScope): Promise<ApiKey[]> {
    return (await this.keys.list(scope.organizationId)).map(mapApiKey);
  }

  async create(
    scope: OrganizationScope,
    principal: Principal,
    request: CreateApiKeyRequest,
  ): Promise<ApiKeyWithSecret> {
    const expiresAt = request.expiresAt ? new Date(request.expiresAt) : null;
    // ISO 8601 allows forms (week and ordinal dates) that `Date` cannot read: NaN fails here too.
    if (expiresAt && !(expiresAt.getTime() > Date.now())) {
      throw new DomainError('VALIDATION_FAILED', 'expiresAt must be a date and time in the future', {
        details: ['expiresAt must be a date and time in the future'],
      });
    }
    const { secret, prefix, hash } = this.secrets.generate();
    const row = await this.transactions.run(async (tx) => {
      if ((await this.keys.countUnrevoked(tx, scope.organizationId)) >= MAX_API_KEYS_PER_ORGANIZATION) {
        throw new DomainError(
          'API_KEY_LIMIT_REACHED',
          `The organization already has ${MAX_API_KEYS_PER_ORGANIZATION} API keys; revoke one first`,
        );
      }
      const inserted = await this.keys.insert(tx, {
        organizationId: scope.organizationId,
        createdBy: principal.userId,
        name: request.name.trim(),
        prefix,
        hash,
        scopes: [...new Set(request.scopes)].sort(),
        expiresAt,
      });
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: actorOf(principal),
        action: 'api_key.created',
        target: { type: 'api_key', id: inserted.id },
        details: { scopes: inserted.scopes, expires: expiresAt !== null },
      });
      return inserted;
    });
    return { apiKey: mapApiKey(row), secret };
  }

  async revoke(scope: OrganizationScope, principal: Principal, keyId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      if (!(await this.keys.revoke(tx, scope.organizationId, keyId))) {
        throw new DomainError('API_KEY_NOT_FOUND', 'API key not found');
      }
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: actorOf(principal),
        action: 'api_key.revoked',
        target: { type: 'api_key', id: keyId },
      });
    });
  }

  /** Every request of a key to a privacy route is in the audit trail, whatever the route then does. */
  async recordPrivacyUse(
    principal: Principal,
    scope: SiteScope,
    method: string,
    route: string,
  ): Promise<void> {
    await this.transactions.run((tx) =>
      this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: actorOf(principal),
        action: 'api_key.privacy_used',
        target: { type: 'site', id: scope.siteId },
        details: { method, route },
      }),
    );
  }
}
