import { type SsoSettings, type UpdateSsoSettingsRequest } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { AuditService, actorOf } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { CONSOLE_BASE_PATH } from '../console-app/console-app';
import { isUniqueViolation } from '../database/constraint-violations';
import { TransactionRunner } from '../database/transactions';
import { assertIssuerAllowed } from './issuer-url';
import { SsoSecrets } from './sso-secrets';
import { SsoRepository, type SsoSettingsRow } from './sso.repository';

/**
 * Where providers send the browser back: the console's page, one for every organization (`state`
 * tells them apart), which hands the query to the API. The session then travels in a POST answer,
 * never in a URL.
 */
export function ssoRedirectUri(publicUrl: string): string {
  return `${publicUrl}${CONSOLE_BASE_PATH}sso-callback`;
}

/** Owners' single sign-on settings: read (never the secret) and replace. */
@Injectable()
export class SsoSettingsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly sso: SsoRepository,
    private readonly secrets: SsoSecrets,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async get(scope: OrganizationScope): Promise<SsoSettings> {
    return this.map(scope.organizationId, await this.sso.findSettings(scope.organizationId));
  }

  async update(
    scope: OrganizationScope,
    principal: Principal,
    request: UpdateSsoSettingsRequest,
  ): Promise<SsoSettings> {
    const { organizationId } = scope;
    assertIssuerAllowed(request.issuer, this.config.crawlPrivateNetworks);
    const allowedDomains = [...new Set(request.allowedDomains.map((domain) => domain.toLowerCase()))];
    try {
      await this.transactions.run(async (tx) => {
        const stored = await this.sso.findSettings(organizationId, tx);
        if (request.enabled && !request.clientSecret && !stored?.clientSecretEncrypted) {
          throw new DomainError('VALIDATION_FAILED', 'A client secret is needed to enable single sign-on', {
            details: ['clientSecret is required the first time'],
          });
        }
        await this.sso.save(tx, {
          organizationId,
          enabled: request.enabled,
          issuer: request.issuer.replace(/\/+$/, ''),
          clientId: request.clientId,
          ...(request.clientSecret
            ? { clientSecretEncrypted: this.secrets.seal(organizationId, request.clientSecret) }
            : {}),
          newUserRole: request.newUserRole,
          ssoOnly: request.ssoOnly,
          allowedDomains,
        });
        await this.audit.record(tx, {
          organizationId,
          actor: actorOf(principal),
          action: 'sso.updated',
          target: { type: 'organization', id: organizationId },
          details: {
            enabled: request.enabled,
            ssoOnly: request.ssoOnly,
            newUserRole: request.newUserRole,
            domains: allowedDomains.length,
            secretChanged: Boolean(request.clientSecret),
          },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'sso_domains_pkey')) {
        throw new DomainError('SSO_DOMAIN_TAKEN', 'Another organization signs in this e-mail domain');
      }
      throw error;
    }
    return this.get(scope);
  }

  private map(organizationId: string, row: SsoSettingsRow | null): SsoSettings {
    return {
      organizationId,
      enabled: row?.enabled ?? false,
      issuer: row?.issuer ?? null,
      clientId: row?.clientId ?? null,
      clientSecretSet: Boolean(row?.clientSecretEncrypted),
      allowedDomains: row?.allowedDomains ?? [],
      newUserRole: row?.newUserRole ?? 'member',
      ssoOnly: row?.ssoOnly ?? false,
      redirectUri: ssoRedirectUri(this.config.publicUrl),
      updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
    };
  }
}
