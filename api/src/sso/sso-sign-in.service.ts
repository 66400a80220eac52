import { createHash, randomBytes } from 'node:crypto';

import type { AuthResponse, SsoStartRequest, SsoStartResponse } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import { AuditService } from '../audit/audit.service';
import { mapAuthResponse } from '../auth/auth.mapper';
import { hashPassword } from '../auth/passwords';
import { SessionsService } from '../auth/sessions.service';
import { DomainError } from '../common/domain-error';
import { normalizeEmail } from '../common/identifiers';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { TransactionRunner, type Tx } from '../database/transactions';
import { AccountOrganizations } from '../organizations/account-organizations';
import { UsersService } from '../users/users.service';
import type { UserRecord } from '../users/user-record';
import { OidcProviderClient, type VerifiedIdentity } from './oidc-provider-client';
import { refreshTokenOwner, SsoSecrets } from './sso-secrets';
import { ssoRedirectUri } from './sso-settings.service';
import { SsoRepository, type SsoSettingsRow } from './sso.repository';

/** Time to sign in at the provider. */
const LOGIN_TTL_SECONDS = 10 * 60;
const NAME_MAX_LENGTH = 100;
/**
 * How long a provider's discovery (its endpoints and client configuration) is reused: every start,
 * callback and re-check needs it, and fetching it each time put a round trip to the provider in
 * front of each. Changed settings make another key, so they apply at once.
 */
const DISCOVERY_REUSE_MS = 10 * 60 * 1000;

/**
 * Sign-in through an organization's OpenID Connect provider: start (state, nonce and PKCE verifier
 * kept in the database, never in a cookie), then the callback (verified by `openid-client`; the
 * person found or created just in time) that answers with the console's usual session.
 */
@Injectable()
export class SsoSignInService {
  /** Discovered providers by their settings (the secret hashed); failures are not kept. */
  private readonly discovered = new Map<string, { client: Promise<OidcProviderClient>; until: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly sso: SsoRepository,
    private readonly secrets: SsoSecrets,
    private readonly users: UsersService,
    private readonly organizations: AccountOrganizations,
    private readonly sessions: SessionsService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** By the address's domain, or by organization (a link an organization hands its staff). */
  async start(by: SsoStartRequest | { organizationId: string }): Promise<SsoStartResponse> {
    const settings =
      'email' in by
        ? await this.sso.findEnabledByDomain(domainOf(by.email))
        : await this.sso.findSettings(by.organizationId);
    if (!settings?.enabled) {
      throw new DomainError('SSO_NOT_CONFIGURED', 'No organization signs in with single sign-on here');
    }
    const client = await this.providerClient(settings);
    const started = await client.start(ssoRedirectUri(this.config.publicUrl));
    await this.sso.insertLogin(
      {
        stateHash: sha256(started.state),
        organizationId: settings.organizationId,
        codeVerifier: started.codeVerifier,
        nonce: started.nonce,
      },
      LOGIN_TTL_SECONDS,
    );
    return { authorizationUrl: started.authorizationUrl };
  }

  /**
   * The provider sent the browser back to the console with `query`: `state` taken (once), the
   * code exchanged with the PKCE verifier, the ID token verified, the person found or created, and
   * the console's usual session started, exactly as a password sign-in gives it.
   */
  async callback(query: string): Promise<AuthResponse> {
    const parameters = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
    const state = parameters.get('state');
    if (!state) throw new DomainError('SSO_FAILED', 'The provider sent no state');
    // Taken (deleted) before anything else: a state works once, even when this sign-in then fails.
    const login = await this.sso.takeLogin(sha256(state));
    if (!login) throw new DomainError('SSO_FAILED', 'Unknown, expired or used sign-in state');
    const settings = await this.sso.findSettings(login.organizationId);
    if (!settings?.enabled) throw new DomainError('SSO_NOT_CONFIGURED', 'Single sign-on is off');
    const callbackUrl = new URL(ssoRedirectUri(this.config.publicUrl));
    callbackUrl.search = parameters.toString();
    const identity = await (await this.providerClient(settings)).finish(callbackUrl, { ...login, state });
    const { tokens, user } = await this.transactions.run(async (tx) => {
      const person = await this.provision(tx, settings, identity);
      const started = await this.sessions.start(tx, person.id);
      await this.sso.insertSession(tx, started.sessionId, {
        userId: person.id,
        organizationId: settings.organizationId,
        providerRefreshTokenEncrypted: identity.providerRefreshToken
          ? this.secrets.seal(
              refreshTokenOwner(person.id, settings.organizationId),
              identity.providerRefreshToken,
            )
          : null,
      });
      return { tokens: started, user: person };
    });
    return mapAuthResponse(tokens, user);
  }

  /**
   * The person of a verified identity: an address the provider vouches for, in an allowed domain.
   * A new address gets an account (with no usable password) and the configured role; an existing
   * account joins the organization with that role on its first sign-in here (docs/architecture.md:
   * the organization's domain list is its claim on those addresses, and the person chose to sign
   * in through its provider), recorded in the organization's audit trail.
   */
  private async provision(tx: Tx, settings: SsoSettingsRow, identity: VerifiedIdentity): Promise<UserRecord> {
    if (!identity.email || !identity.emailVerified) {
      throw new DomainError('SSO_FAILED', 'The provider did not give a verified e-mail address');
    }
    const email = normalizeEmail(identity.email);
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!settings.allowedDomains.includes(domain)) {
      throw new DomainError(
        'SSO_DOMAIN_NOT_ALLOWED',
        'This e-mail domain may not sign in to this organization',
      );
    }
    const existing = await this.users.findByEmail(email, tx);
    const user =
      existing ??
      (await this.users.insert(tx, {
        email,
        // Nobody knows this password: the account signs in through the provider (or resets it by e-mail).
        passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
        name: (identity.name?.trim() || email.slice(0, email.indexOf('@'))).slice(0, NAME_MAX_LENGTH),
        locale: 'en',
        emailVerifiedAt: new Date(),
      }));
    if (
      await this.organizations.joinUnlessMember(tx, settings.organizationId, user.id, settings.newUserRole)
    ) {
      await this.audit.record(tx, {
        organizationId: settings.organizationId,
        actor: { kind: 'system' },
        action: 'member.added',
        target: { type: 'user', id: user.id },
        details: { role: settings.newUserRole, via: 'sso', newAccount: !existing },
      });
    }
    return user;
  }

  async providerClient(settings: SsoSettingsRow): Promise<OidcProviderClient> {
    const clientSecret = settings.clientSecretEncrypted
      ? this.secrets.open(settings.organizationId, settings.clientSecretEncrypted)
      : null;
    if (clientSecret === null) {
      throw new DomainError('SSO_NOT_CONFIGURED', 'The client secret is missing or unreadable; set it again');
    }
    const provider = {
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecret,
      allowInsecure: this.config.crawlPrivateNetworks,
    };
    const key = JSON.stringify([provider.issuer, provider.clientId, sha256(clientSecret).toString('hex')]);
    const known = this.discovered.get(key);
    if (known && known.until > Date.now()) return known.client;
    const client = OidcProviderClient.discover(provider);
    this.discovered.set(key, { client, until: Date.now() + DISCOVERY_REUSE_MS });
    client.catch(() => this.discovered.delete(key));
    return client;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function domainOf(email: string): string {
  const normalized = normalizeEmail(email);
  return normalized.slice(normalized.lastIndexOf('@') + 1);
}
