import type {
  AuditEvent,
  AuthResponse,
  ErrorResponse,
  MeResponse,
  Page,
  SsoSettings,
  SsoStartResponse,
  UpdateSsoSettingsRequest,
} from '@cloop/contracts';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import { addMember, PASSWORD, type SignedUpUser, signUp } from './support/factories';
import { signInAtProvider, TestIdentityProvider } from './support/oidc-provider';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const PUBLIC_URL = 'http://localhost:3000';
const REDIRECT_URI = `${PUBLIC_URL}/console/sso-callback`;
const DOMAIN = 'staff.example.test';

describe('OpenID Connect single sign-on against a real provider on loopback', () => {
  let t: TestApp;
  let idp: TestIdentityProvider;
  let owner: SignedUpUser;
  const settingsPath = () => route('/api/v1/organizations/{orgId}/sso', { orgId: owner.organizationId });
  const settings = (): UpdateSsoSettingsRequest => ({
    enabled: true,
    issuer: idp.issuer,
    clientId: idp.clientId,
    allowedDomains: [DOMAIN.toUpperCase()],
    newUserRole: 'member',
    ssoOnly: false,
  });
  const sql = <T>(query: string, parameters: unknown[] = []) =>
    t.app.get(DataSource).query<T>(query, parameters);

  async function startAndSignInAtProvider(email: string, accountId: string): Promise<URL> {
    const start = await t.http.post(route('/api/v1/auth/sso/start')).send({ email }).expect(200);
    return signInAtProvider((start.body as SsoStartResponse).authorizationUrl, accountId, REDIRECT_URI);
  }

  /** What the console's sso-callback page does with the query the provider sent the browser back with. */
  const callback = (back: URL) =>
    t.http.post(route('/api/v1/auth/sso/callback')).send({ query: back.search });

  /** Start (by address), the provider's forms as `accountId`, and the console's callback. */
  async function ssoSignIn(email: string, accountId: string) {
    return callback(await startAndSignInAtProvider(email, accountId));
  }

  async function signedIn(answer: Promise<Response> | Response): Promise<AuthResponse> {
    const response = await answer;
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status: 200 });
    return response.body as AuthResponse;
  }

  async function refusal(answer: Promise<Response> | Response): Promise<{ status: number; code?: string }> {
    const response = await answer;
    return { status: response.status, code: (response.body as ErrorResponse).code };
  }

  const auditActions = async (): Promise<AuditEvent[]> =>
    (
      (
        await t.http
          .get(
            `${route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId })}?limit=100`,
          )
          .set(owner.auth)
          .expect(200)
      ).body as Page<AuditEvent>
    ).items;

  beforeAll(async () => {
    t = await startTestApp({
      env: { PUBLIC_URL, CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' },
      // Every refresh of an SSO session asks the provider (production: once an hour).
      ssoRecheckMs: 0,
    });
    idp = await TestIdentityProvider.start(REDIRECT_URI);
    owner = await signUp(t.http, { name: 'Owner' });
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  it('keeps the client secret encrypted and never returns it', async () => {
    const saved = (
      await t.http
        .put(settingsPath())
        .set(owner.auth)
        .send({ ...settings(), clientSecret: idp.clientSecret })
        .expect(200)
    ).body as SsoSettings;
    expect(saved).toMatchObject({
      enabled: true,
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecretSet: true,
      allowedDomains: [DOMAIN],
      redirectUri: REDIRECT_URI,
    });
    expect(JSON.stringify(saved)).not.toContain(idp.clientSecret);
    const read = (await t.http.get(settingsPath()).set(owner.auth).expect(200)).body as SsoSettings;
    expect(read).toEqual(saved);
    const dump = JSON.stringify(await sql(`SELECT * FROM sso_settings`));
    expect(dump).not.toContain(idp.clientSecret);
    // Saved again without a secret: the stored one stays.
    await t.http.put(settingsPath()).set(owner.auth).send(settings()).expect(200);
    expect(((await t.http.get(settingsPath()).set(owner.auth)).body as SsoSettings).clientSecretSet).toBe(
      true,
    );
  });

  it('refuses invalid settings and a domain of another organization, changing nothing', async () => {
    const before = (await t.http.get(settingsPath()).set(owner.auth)).body as SsoSettings;
    for (const body of [
      { ...settings(), allowedDomains: ['not a domain'] },
      { ...settings(), issuer: 'ftp://idp.example.test' },
      { ...settings(), newUserRole: 'owner' },
      { ...settings(), clientId: ' ' },
      { ...settings(), ssoOnly: 'yes' },
    ]) {
      const response = await t.http.put(settingsPath()).set(owner.auth).send(body);
      expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const other = await signUp(t.http, { name: 'Other owner' });
    const otherPath = route('/api/v1/organizations/{orgId}/sso', { orgId: other.organizationId });
    // The first save of an enabled provider needs its secret.
    expect((await t.http.put(otherPath).set(other.auth).send(settings())).status).toBe(400);
    const taken = await t.http
      .put(otherPath)
      .set(other.auth)
      .send({ ...settings(), clientSecret: 'x' });
    expect({ status: taken.status, code: (taken.body as ErrorResponse).code }).toEqual({
      status: 409,
      code: 'SSO_DOMAIN_TAKEN',
    });
    expect((await t.http.get(settingsPath()).set(owner.auth)).body).toEqual(before);
    expect(((await t.http.get(otherPath).set(other.auth)).body as SsoSettings).enabled).toBe(false);
  });

  it('signs a new person in through the provider and provisions them with the configured role', async () => {
    const email = `new.person@${DOMAIN}`;
    idp.addAccount('new-person', { email, name: 'New Person' });
    const session = await signedIn(ssoSignIn(email, 'new-person'));
    expect(session.user).toMatchObject({ email, name: 'New Person' });
    const me = (
      await t.http
        .get(route('/api/v1/auth/me'))
        .set({ Authorization: `Bearer ${session.accessToken}` })
        .expect(200)
    ).body as MeResponse;
    expect(me.organizations).toEqual([expect.objectContaining({ id: owner.organizationId, role: 'member' })]);
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({ action: 'member.added', target: { type: 'user', id: session.user.id } }),
    );
    // Signing in again finds the same person.
    expect((await signedIn(ssoSignIn(email, 'new-person'))).user.id).toBe(session.user.id);
  });

  it('refuses a sign-in state after ten minutes, and a provider code used twice', async () => {
    idp.addAccount('slow', { email: `slow@${DOMAIN}` });
    const late = await startAndSignInAtProvider(`slow@${DOMAIN}`, 'slow');
    await sql(`UPDATE sso_logins SET expires_at = now() - interval '1 second'`);
    expect(await refusal(callback(late))).toEqual({ status: 401, code: 'SSO_FAILED' });

    const first = await startAndSignInAtProvider(`slow@${DOMAIN}`, 'slow');
    await signedIn(callback(first));
    // The same code again, under a fresh state of its own: the provider refuses it (and its verifier differs).
    const second = await startAndSignInAtProvider(`slow@${DOMAIN}`, 'slow');
    const reused = new URL(second);
    reused.searchParams.set('code', first.searchParams.get('code') ?? '');
    expect(await refusal(callback(reused))).toEqual({ status: 401, code: 'SSO_FAILED' });
  });

  it('refuses an address outside the allowed domains and an unverified one, creating nobody', async () => {
    idp.addAccount('outsider', { email: 'outsider@elsewhere.example.test' });
    idp.addAccount('unverified', { email: `unverified@${DOMAIN}`, emailVerified: false });
    const started = await t.http
      .post(route('/api/v1/auth/sso/organizations/{orgId}/start', { orgId: owner.organizationId }))
      .expect(200);
    const outsider = await callback(
      await signInAtProvider((started.body as SsoStartResponse).authorizationUrl, 'outsider', REDIRECT_URI),
    );
    expect(await refusal(outsider)).toEqual({ status: 403, code: 'SSO_DOMAIN_NOT_ALLOWED' });
    expect(await refusal(ssoSignIn(`unverified@${DOMAIN}`, 'unverified'))).toEqual({
      status: 401,
      code: 'SSO_FAILED',
    });
    expect(
      await sql(`SELECT 1 FROM users WHERE email IN ($1, $2)`, [
        'outsider@elsewhere.example.test',
        `unverified@${DOMAIN}`,
      ]),
    ).toEqual([]);
  });

  it('refuses a tampered state and a state used twice', async () => {
    idp.addAccount('replayed', { email: `replayed@${DOMAIN}` });
    const start = await t.http
      .post(route('/api/v1/auth/sso/start'))
      .send({ email: `replayed@${DOMAIN}` })
      .expect(200);
    const back = await signInAtProvider(
      (start.body as SsoStartResponse).authorizationUrl,
      'replayed',
      REDIRECT_URI,
    );
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state')}x`);
    expect(await refusal(callback(tampered))).toEqual({ status: 401, code: 'SSO_FAILED' });
    await signedIn(callback(back));
    expect(await refusal(callback(back))).toEqual({ status: 401, code: 'SSO_FAILED' });
  });

  it('refuses an ID token for another audience or not signed by the provider', async () => {
    idp.addAccount('forged', { email: `forged@${DOMAIN}` });
    idp.tamperWithNextIdToken({
      key: 'provider',
      claims: (claims) => ({ ...claims, aud: 'another-client' }),
    });
    expect(await refusal(ssoSignIn(`forged@${DOMAIN}`, 'forged'))).toEqual({
      status: 401,
      code: 'SSO_FAILED',
    });
    idp.tamperWithNextIdToken({ key: 'foreign', claims: (claims) => claims });
    expect(await refusal(ssoSignIn(`forged@${DOMAIN}`, 'forged'))).toEqual({
      status: 401,
      code: 'SSO_FAILED',
    });
    idp.tamperWithNextIdToken({ key: 'provider', claims: (claims) => ({ ...claims, exp: 1_000_000 }) });
    expect(await refusal(ssoSignIn(`forged@${DOMAIN}`, 'forged'))).toEqual({
      status: 401,
      code: 'SSO_FAILED',
    });
    // Untampered, the same person gets in: the refusals above were the token's.
    await signedIn(ssoSignIn(`forged@${DOMAIN}`, 'forged'));
  });

  it('ends the access of a person the provider disabled at their next refresh', async () => {
    idp.addAccount('leaver', { email: `leaver@${DOMAIN}` });
    const session = await signedIn(ssoSignIn(`leaver@${DOMAIN}`, 'leaver'));
    // Still employed: the provider vouches, the session goes on.
    const refreshed = (
      await t.http
        .post(route('/api/v1/auth/refresh'))
        .send({ refreshToken: session.refreshToken })
        .expect(200)
    ).body as AuthResponse;
    const stored = await sql<{ token: string }[]>(
      `SELECT provider_refresh_token_encrypted AS token FROM sso_sessions WHERE user_id = $1`,
      [session.user.id],
    );
    expect(stored[0]?.token).toMatch(/^v1\./);
    idp.disable('leaver');
    const refused = await t.http
      .post(route('/api/v1/auth/refresh'))
      .send({ refreshToken: refreshed.refreshToken });
    expect({ status: refused.status, code: (refused.body as ErrorResponse).code }).toEqual({
      status: 401,
      code: 'INVALID_REFRESH_TOKEN',
    });
    // The whole session ended: its access token too.
    await t.http
      .get(route('/api/v1/auth/me'))
      .set({ Authorization: `Bearer ${refreshed.accessToken}` })
      .expect(401);
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({
        action: 'auth.sso_provider_refused',
        target: { type: 'user', id: session.user.id },
      }),
    );
  });

  it('by default re-checks a session with the provider only once its last check is 45 minutes old', async () => {
    const production = await startTestApp({ env: { PUBLIC_URL, CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      const prodOwner = await signUp(production.http, { name: 'Owner' });
      await production.http
        .put(route('/api/v1/organizations/{orgId}/sso', { orgId: prodOwner.organizationId }))
        .set(prodOwner.auth)
        .send({ ...settings(), clientSecret: idp.clientSecret })
        .expect(200);
      idp.addAccount('part-timer', { email: `part.timer@${DOMAIN}` });
      const start = await production.http
        .post(route('/api/v1/auth/sso/start'))
        .send({ email: `part.timer@${DOMAIN}` })
        .expect(200);
      const back = await signInAtProvider(
        (start.body as SsoStartResponse).authorizationUrl,
        'part-timer',
        REDIRECT_URI,
      );
      const session = await signedIn(
        production.http.post(route('/api/v1/auth/sso/callback')).send({ query: back.search }),
      );
      idp.disable('part-timer');
      // Checked at sign-in, so not asked again yet: the refresh goes through.
      const refreshed = (
        await production.http
          .post(route('/api/v1/auth/refresh'))
          .send({ refreshToken: session.refreshToken })
          .expect(200)
      ).body as AuthResponse;
      await production.app
        .get(DataSource)
        .query(`UPDATE sso_sessions SET checked_at = now() - interval '46 minutes' WHERE user_id = $1`, [
          session.user.id,
        ]);
      const refused = await production.http
        .post(route('/api/v1/auth/refresh'))
        .send({ refreshToken: refreshed.refreshToken });
      expect({ status: refused.status, code: (refused.body as ErrorResponse).code }).toEqual({
        status: 401,
        code: 'INVALID_REFRESH_TOKEN',
      });
    } finally {
      await production.close();
    }
  });

  it('adds an existing account of another organization on its own sign-in through an allowed domain', async () => {
    const email = `existing@${DOMAIN}`;
    const existing = await signUp(t.http, { email, name: 'Existing' });
    idp.addAccount('existing', { email });
    const session = await signedIn(ssoSignIn(email, 'existing'));
    expect(session.user.id).toBe(existing.userId);
    const me = (
      await t.http.get(route('/api/v1/auth/me')).set({ Authorization: `Bearer ${session.accessToken}` })
    ).body as MeResponse;
    expect(me.organizations.map((organization) => [organization.id, organization.role]).sort()).toEqual(
      [
        [existing.organizationId, 'owner'],
        [owner.organizationId, 'member'],
      ].sort(),
    );
  });

  it('in an SSO-only organization refuses members a password sign-in; owners break glass, audited', async () => {
    const member = await signUp(t.http, { name: 'Member' });
    await addMember(t.http, owner, member, 'admin');
    await t.http
      .put(settingsPath())
      .set(owner.auth)
      .send({ ...settings(), ssoOnly: true })
      .expect(200);

    const refused = await t.http
      .post(route('/api/v1/auth/login'))
      .send({ email: member.email, password: PASSWORD });
    expect({ status: refused.status, code: (refused.body as ErrorResponse).code }).toEqual({
      status: 403,
      code: 'SSO_REQUIRED',
    });
    // A wrong password still gets the usual answer: SSO_REQUIRED tells nothing without the password.
    const wrong = await t.http
      .post(route('/api/v1/auth/login'))
      .send({ email: member.email, password: 'wrong password!' });
    expect((wrong.body as ErrorResponse).code).toBe('INVALID_CREDENTIALS');

    await t.http
      .post(route('/api/v1/auth/login'))
      .send({ email: owner.email, password: PASSWORD })
      .expect(200);
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({
        action: 'auth.sso_break_glass',
        actor: { kind: 'user', userId: owner.userId },
      }),
    );

    // Turned off again, the member signs in with the password as before.
    await t.http
      .put(settingsPath())
      .set(owner.auth)
      .send({ ...settings(), ssoOnly: false })
      .expect(200);
    await t.http
      .post(route('/api/v1/auth/login'))
      .send({ email: member.email, password: PASSWORD })
      .expect(200);
  });

  it('answers SSO_NOT_CONFIGURED for a domain no organization signs in', async () => {
    const response = await t.http
      .post(route('/api/v1/auth/sso/start'))
      .send({ email: 'someone@nowhere.example.test' });
    expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
      status: 404,
      code: 'SSO_NOT_CONFIGURED',
    });
  });
});
