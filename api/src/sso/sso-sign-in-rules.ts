import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';

import { AuditService } from '../audit/audit.service';
import { SignInChecks } from '../auth/sign-in-checks';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { TransactionRunner } from '../database/transactions';
import type { UserRecord } from '../users/user-record';
import { refreshTokenOwner, SsoSecrets } from './sso-secrets';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoRepository } from './sso.repository';

/**
 * What single sign-on adds to the one sign-in path (`SignInChecks`):
 * - password sign-in is refused to members of an "SSO only" organization; its owners keep it as
 *   a break-glass path, recorded in that organization's audit trail for the other owners to see;
 * - a session that came through a provider is re-checked with it at refresh once the last check
 *   is older than `ssoRecheckMs` (45 minutes; with 15-minute access tokens, access ends within an
 *   hour of the provider disabling the person).
 */
@Injectable()
export class SsoSignInRules implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly checks: SignInChecks,
    private readonly sso: SsoRepository,
    private readonly signIn: SsoSignInService,
    private readonly secrets: SsoSecrets,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.checks.onPasswordSignIn((user) => this.checkPasswordSignIn(user));
    this.checks.onRefresh((session) => this.stillVouchedFor(session.sessionId));
  }

  private async checkPasswordSignIn(user: UserRecord): Promise<void> {
    const ssoOnly = await this.sso.ssoOnlyMemberships(user.id);
    if (ssoOnly.length === 0) return;
    if (ssoOnly.some((membership) => membership.role !== 'owner')) {
      throw new DomainError('SSO_REQUIRED', 'Your organization signs in through its identity provider');
    }
    await this.transactions.run(async (tx) => {
      for (const { organizationId } of ssoOnly) {
        await this.audit.record(tx, {
          organizationId,
          actor: { kind: 'user', userId: user.id },
          action: 'auth.sso_break_glass',
          target: { type: 'user', id: user.id },
        });
      }
    });
  }

  private async stillVouchedFor(sessionId: string): Promise<boolean> {
    const session = await this.sso.findSession(sessionId);
    if (!session) return true;
    if (Date.now() - session.checkedAt.getTime() < this.config.runtime.ssoRecheckMs) return true;
    const owner = refreshTokenOwner(session.userId, session.organizationId);
    const refreshToken = session.providerRefreshTokenEncrypted
      ? this.secrets.open(owner, session.providerRefreshTokenEncrypted)
      : null;
    const settings = await this.sso.findSettings(session.organizationId);
    // Fails closed: no way to ask (SSO turned off, no refresh token, provider down) ends the session.
    const renewed =
      settings?.enabled && refreshToken
        ? await this.signIn
            .providerClient(settings)
            .then((client) => client.recheck(refreshToken))
            .catch(() => null)
        : null;
    if (renewed) {
      await this.sso.markSessionChecked(sessionId, this.secrets.seal(owner, renewed.refreshToken));
      return true;
    }
    await this.transactions.run((tx) =>
      this.audit.record(tx, {
        organizationId: session.organizationId,
        actor: { kind: 'system' },
        action: 'auth.sso_provider_refused',
        target: { type: 'user', id: session.userId },
      }),
    );
    return false;
  }
}
