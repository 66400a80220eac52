import { createSign, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { default as ProviderType } from 'oidc-provider' with { 'resolution-mode': 'import' };

export interface TestAccount {
  email: string;
  emailVerified?: boolean;
  name?: string;
}

/** Changes the claims of the next ID token the token endpoint answers with, re-signed. */
export interface IdTokenTamper {
  claims: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** `foreign`: signed with a key the provider never published. */
  key: 'provider' | 'foreign';
}

/**
 * A real OpenID provider (`oidc-provider`, the certified implementation) on a loopback port, with
 * accounts the test adds and disables, and its development login and consent forms, which
 * {@link signInAtProvider} fills over real HTTP. A test may also make the token endpoint answer
 * with an ID token changed after signing (wrong audience, foreign signature).
 */
export class TestIdentityProvider {
  readonly clientId = 'cloop';
  readonly clientSecret = 'test-client-secret-3f9a1c';
  private readonly accounts = new Map<string, TestAccount & { disabled: boolean }>();
  private tamper: IdTokenTamper | null = null;

  private constructor(
    readonly issuer: string,
    private readonly server: Server,
    private readonly signingKey: { privateKey: import('node:crypto').KeyObject; kid: string },
  ) {}

  static async start(redirectUri: string): Promise<TestIdentityProvider> {
    // oidc-provider is ESM-only: a native dynamic import from this CommonJS test.
    const { default: Provider } = (await import('oidc-provider')) as { default: typeof ProviderType };
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const idp = new TestIdentityProvider(issuer, server, { privateKey, kid: 'test-key' });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
      ],
      jwks: { keys: [jwk as JsonWebKey & { kid: string }] },
      cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: true } },
      findAccount: (_ctx, id) => idp.findAccount(id),
      // Strictly, `offline_access` needs `prompt=consent`; like most company providers, this one
      // issues refresh tokens to its confidential client by policy instead (OIDC Core 11 allows it).
      issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.method === 'POST' && request.url?.startsWith('/token') && idp.tamper) {
        idp.tamperWith(response, idp.tamper);
        idp.tamper = null;
      }
      void provider.callback()(request, response);
    });
    return idp;
  }

  addAccount(id: string, account: TestAccount): void {
    this.accounts.set(id, { ...account, disabled: false });
  }

  /** As an administrator disabling someone who left: the provider no longer knows the account. */
  disable(id: string): void {
    const account = this.accounts.get(id);
    if (account) account.disabled = true;
  }

  tamperWithNextIdToken(tamper: IdTokenTamper): void {
    this.tamper = tamper;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private findAccount(id: string) {
    const account = this.accounts.get(id);
    if (!account || account.disabled) return undefined;
    return {
      accountId: id,
      claims: () => ({
        sub: id,
        email: account.email,
        email_verified: account.emailVerified ?? true,
        ...(account.name ? { name: account.name } : {}),
      }),
    };
  }

  /** Rewrites the token endpoint's JSON answer as it is sent: the ID token's claims, re-signed. */
  private tamperWith(response: ServerResponse, tamper: IdTokenTamper): void {
    const end = response.end.bind(response) as (chunk?: unknown) => ServerResponse;
    response.end = ((chunk?: unknown) => {
      const body = JSON.parse(String(chunk)) as { id_token?: string };
      if (body.id_token) {
        const [header, payload] = body.id_token.split('.') as [string, string];
        const claims = tamper.claims(parseJson(payload));
        const key =
          tamper.key === 'provider'
            ? this.signingKey.privateKey
            : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
        body.id_token = signJwt(parseJson(header), claims, key);
      }
      const text = JSON.stringify(body);
      response.setHeader('content-length', Buffer.byteLength(text));
      return end(text);
    }) as ServerResponse['end'];
  }
}

function parseJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
}

function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: import('node:crypto').KeyObject,
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

/**
 * A browser at the provider: follows redirects from the authorization URL, submits the login form
 * as `accountId` and the consent form, keeping the provider's cookies, until the provider sends it
 * to `redirectUri`; answers that URL (with `code`, `state` and `iss`).
 */
export async function signInAtProvider(
  authorizationUrl: string,
  accountId: string,
  redirectUri: string,
): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | null = null;
  for (let step = 0; step < 12; step += 1) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ?? undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      cookies.set(name.trim(), value);
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next;
      form = null;
      continue;
    }
    const page = await response.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (response.status !== 200 || !prompt)
      throw new Error(`provider answered ${response.status}: ${page.slice(0, 300)}`);
    form =
      prompt === 'login'
        ? new URLSearchParams({ prompt, login: accountId, password: 'any' })
        : new URLSearchParams({ prompt });
  }
  throw new Error('the provider never sent the browser back');
}
