import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };

import { DomainError } from '../common/domain-error';
import { guardedFetch } from './guarded-fetch';

type Client = typeof OpenIdClient;
type Configuration = OpenIdClient.Configuration;

/** What Cloop asks the provider for: who the person is, their address, and a refresh token for re-checks. */
const SCOPE = 'openid email profile offline_access';
const DISCOVERY_TIMEOUT_SECONDS = 10;

export interface ProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Plain-http issuers (loopback test providers, intranet ones) are accepted only with this. */
  allowInsecure: boolean;
}

/** A started authorization: what goes to the browser, and what stays on the server until the callback. */
export interface StartedAuthorization {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider's answer after the callback, its ID token verified. */
export interface VerifiedIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  providerRefreshToken: string | null;
}

// openid-client is ESM-only: a native dynamic import keeps this CommonJS build able to load it.
let loaded: Promise<Client> | null = null;
function openIdClient(): Promise<Client> {
  loaded ??= import('openid-client');
  return loaded;
}

/**
 * The OpenID Connect relying party, through `openid-client`: discovery, the authorization code
 * flow with PKCE, `state` and `nonce`, and the ID token's signature (non-repudiation checks on:
 * the JWKS of the issuer, not only TLS) and claims (`iss`, `aud`, `exp`, `nonce`) verified.
 */
export class OidcProviderClient {
  private constructor(
    private readonly client: Client,
    private readonly configuration: Configuration,
  ) {}

  static async discover(settings: ProviderSettings): Promise<OidcProviderClient> {
    const client = await openIdClient();
    try {
      const configuration = await client.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        {
          timeout: DISCOVERY_TIMEOUT_SECONDS,
          // Private networks allowed (loopback test providers, intranet ones): plain http too, and
          // no address guard. Otherwise every request to the provider goes through the guard.
          ...(settings.allowInsecure
            ? { execute: [client.allowInsecureRequests] }
            : { [client.customFetch]: guardedFetch }),
        },
      );
      if (!settings.allowInsecure) configuration[client.customFetch] = guardedFetch;
      client.enableNonRepudiationChecks(configuration);
      return new OidcProviderClient(client, configuration);
    } catch (error) {
      throw providerFailure('The identity provider could not be reached or is misconfigured', error);
    }
  }

  async start(redirectUri: string): Promise<StartedAuthorization> {
    const codeVerifier = this.client.randomPKCECodeVerifier();
    const state = this.client.randomState();
    const nonce = this.client.randomNonce();
    const url = this.client.buildAuthorizationUrl(this.configuration, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      response_type: 'code',
      code_challenge: await this.client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: url.href, state, nonce, codeVerifier };
  }

  /** `callbackUrl`: the redirect URI with the query the provider sent the browser back with. */
  async finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<VerifiedIdentity> {
    try {
      const tokens = await this.client.authorizationCodeGrant(this.configuration, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      // Many providers put the address in the userinfo answer only (oidc-provider by default):
      // asked with the new access token, its `sub` checked against the ID token's.
      const claims =
        typeof idToken['email'] === 'string'
          ? idToken
          : {
              ...(await this.client.fetchUserInfo(this.configuration, tokens.access_token, idToken.sub)),
              ...idToken,
            };
      return {
        subject: idToken.sub,
        email: typeof claims['email'] === 'string' ? claims['email'] : null,
        emailVerified: claims['email_verified'] === true,
        name: typeof claims['name'] === 'string' ? claims['name'] : null,
        providerRefreshToken: tokens.refresh_token ?? null,
      };
    } catch (error) {
      throw providerFailure('The identity provider did not confirm the sign-in', error);
    }
  }

  /** Asks the provider whether the person still may sign in: the new refresh token, or `null` when refused. */
  async recheck(providerRefreshToken: string): Promise<{ refreshToken: string } | null> {
    try {
      const tokens = await this.client.refreshTokenGrant(this.configuration, providerRefreshToken);
      return { refreshToken: tokens.refresh_token ?? providerRefreshToken };
    } catch {
      return null;
    }
  }
}

/**
 * The library's errors name what failed (`OAUTH_JWT_CLAIM_COMPARISON_FAILED`, `invalid_grant`…):
 * safe to pass on as a detail; token values are never part of them.
 */
function providerFailure(message: string, error: unknown): DomainError {
  const code = (error as { code?: unknown; error?: unknown }).error ?? (error as { code?: unknown }).code;
  return new DomainError('SSO_FAILED', message, {
    details: typeof code === 'string' ? [code] : [],
  });
}
