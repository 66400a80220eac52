import { randomBytes, randomUUID } from 'node:crypto';

import type {
  AuthResponse,
  ChangePasswordRequest,
  CreateKnowledgeSourceRequest,
  CreateSiteRequest,
  CreateWebhookRequest,
  ErrorResponse,
  InviteMemberRequest,
  KnowledgeSource,
  InviteMemberResponse,
  LogoutRequest,
  RefreshRequest,
  SendMessageRequest,
  Site,
  Transcript,
  UpdateConversationRequest,
  UpdateMemberRequest,
  UpdateSiteRequest,
  UpdateWebhookRequest,
  WebhookEndpointWithSecret,
  WidgetSessionRequest,
  WidgetSessionResponse,
} from '@cloop/contracts';
import { JwtService } from '@nestjs/jwt';
import jwt from 'jsonwebtoken';
import type { Test } from 'supertest';

import { APP_CONFIG, type ResolvedConfig } from '../src/config/config.module';
import { createSite, PASSWORD, type SignedUpUser, signUp, uniqueEmail } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

/** The only routes under /api/v1 that a caller without a session may use. */
const PUBLIC_ROUTES = [
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
  'POST /api/v1/auth/verify-email',
  'GET /api/v1/mail/status',
  'POST /api/v1/auth/sso/start',
  'POST /api/v1/auth/sso/organizations/:orgId/start',
  'POST /api/v1/auth/sso/callback',
];

/** The widget API and its CORS preflights: authenticated by site key and visitor id, never a bearer token. */
const isWidgetRoute = (route: string): boolean => {
  const [method = '', path = ''] = route.split(' ');
  return method === 'OPTIONS' || path.startsWith('/api/v1/widget/');
};

const SITE_ORIGIN = 'https://shop.example';

interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

type Headers = Record<string, string>;

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function decodeClaims(token: string): AccessClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessClaims;
}

describe('access tokens and sessions', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;
  let invitationId: string;
  /** A conversation on the owner's site, opened by a visitor through the widget API. */
  let conversationId: string;
  let sourceId: string;
  /** A disabled webhook endpoint on the owner's site. */
  let webhookId: string;
  /** The claims of the owner's real access token: every forgery starts from them. */
  let claims: AccessClaims;
  /** Signs claims with the application's own key, so that only the overridden claim is wrong. */
  let signWithAppKey: (overrides: Partial<AccessClaims>) => string;
  /** The claims of another user's real access token. */
  let otherClaims: AccessClaims;

  const refresh = (refreshToken: string): Test =>
    t.http.post(route('/api/v1/auth/refresh')).send({ refreshToken } satisfies RefreshRequest);
  const logout = (refreshToken: string): Test =>
    t.http.post(route('/api/v1/auth/logout')).send({ refreshToken } satisfies LogoutRequest);
  const me = (accessToken: string): Test => t.http.get(route('/api/v1/auth/me')).set(bearer(accessToken));
  const codeOf = (response: { body: unknown }): string => (response.body as ErrorResponse).code;
  const login = async (user: SignedUpUser): Promise<AuthResponse> =>
    (
      await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: user.email, password: PASSWORD })
        .expect(200)
    ).body as AuthResponse;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: [SITE_ORIGIN] });
    const invite: InviteMemberRequest = { email: uniqueEmail('invitee'), role: 'member' };
    const invited = await t.http
      .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
      .set(owner.auth)
      .send(invite)
      .expect(201);
    const body = invited.body as InviteMemberResponse;
    if (body.status !== 'invited') throw new Error('an unknown email should get an invitation');
    invitationId = body.invitation.id;
    const visitor = {
      'X-Cloop-Site-Key': site.publicKey,
      Origin: SITE_ORIGIN,
      'X-Cloop-Visitor': randomUUID(),
    };
    const session = await t.http
      .post(route('/api/v1/widget/session'))
      .set(visitor)
      .send({ entryUrl: `${SITE_ORIGIN}/` } satisfies WidgetSessionRequest)
      .expect(200);
    conversationId = (session.body as WidgetSessionResponse).conversation.id;
    const source = await t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }))
      .set(owner.auth)
      .send({
        type: 'qa',
        question: 'Open on Sundays?',
        answer: 'No.',
      } satisfies CreateKnowledgeSourceRequest)
      .expect(201);
    sourceId = (source.body as KnowledgeSource).id;
    const webhook = await t.http
      .post(route('/api/v1/sites/{siteId}/webhooks', { siteId: site.id }))
      .set(owner.auth)
      .send({
        url: 'https://hooks.example/cloop',
        events: ['lead.captured'],
        enabled: false,
      } satisfies CreateWebhookRequest)
      .expect(201);
    webhookId = (webhook.body as WebhookEndpointWithSecret).webhook.id;
    await t.http
      .post(route('/api/v1/widget/messages'))
      .set(visitor)
      .send({ id: randomUUID(), body: 'Hello' } satisfies SendMessageRequest)
      .expect(201);
    claims = decodeClaims(owner.accessToken);
    otherClaims = decodeClaims((await signUp(t.http)).accessToken);
    const jwtService = t.app.get(JwtService);
    const { jwtSecret } = t.app.get<ResolvedConfig>(APP_CONFIG);
    signWithAppKey = (overrides) => {
      // `undefined` drops a claim altogether.
      const payload = Object.fromEntries(
        Object.entries({ ...claims, ...overrides }).filter(([, value]) => value !== undefined),
      );
      return jwtService.sign(payload, { secret: jwtSecret, algorithm: 'HS256' });
    };
  });
  afterAll(() => t.close());

  describe('forged and invalid access tokens', () => {
    /** A well-formed request with the owner's real ids and a valid body, so that only the token is wrong. */
    function requestFor(route: string, headers: Headers): Test {
      const [method = '', pattern = ''] = route.split(' ');
      const ids: Record<string, string> = {
        siteId: site.id,
        orgId: owner.organizationId,
        userId: owner.userId,
        invitationId,
        conversationId,
        sourceId,
        webhookId,
        deliveryId: randomUUID(),
        questionId: randomUUID(),
        apiKeyId: randomUUID(),
      };
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        const id = ids[name];
        if (!id) throw new Error(`no id for :${name} in ${route}; teach the test about it`);
        return id;
      });
      const bodies: Record<string, object> = {
        // A wrong current password: were the token accepted, the 403 shows it without signing the owner out.
        'POST /api/v1/auth/password': {
          currentPassword: 'not the current password',
          newPassword: 'a brand new passphrase',
        } satisfies ChangePasswordRequest,
        'POST /api/v1/organizations/:orgId/members': {
          email: uniqueEmail(),
          role: 'member',
        } satisfies InviteMemberRequest,
        'PATCH /api/v1/organizations/:orgId/members/:userId': { role: 'owner' } satisfies UpdateMemberRequest,
        'POST /api/v1/sites': {
          organizationId: owner.organizationId,
          name: 'Forged',
        } satisfies CreateSiteRequest,
        'PATCH /api/v1/sites/:siteId': { name: 'Forged' } satisfies UpdateSiteRequest,
        'PATCH /api/v1/sites/:siteId/conversations/:conversationId': {
          phase: 'learning',
        } satisfies UpdateConversationRequest,
        'POST /api/v1/sites/:siteId/conversations/:conversationId/messages': {
          id: randomUUID(),
          body: 'hi',
        } satisfies SendMessageRequest,
        'POST /api/v1/sites/:siteId/webhooks': {
          url: 'https://hooks.example/forged',
          events: ['lead.captured'],
        } satisfies CreateWebhookRequest,
        'PATCH /api/v1/sites/:siteId/webhooks/:webhookId': {
          url: 'https://hooks.example/forged',
        } satisfies UpdateWebhookRequest,
      };
      const verbs: Record<string, (url: string) => Test> = {
        GET: (url) => t.http.get(url),
        POST: (url) => t.http.post(url),
        PUT: (url) => t.http.put(url),
        PATCH: (url) => t.http.patch(url),
        DELETE: (url) => t.http.delete(url),
      };
      const verb = verbs[method];
      if (!verb) throw new Error(`unexpected method in ${route}`);
      const test = verb(path).set(headers);
      const body = bodies[route];
      return body ? test.send(body) : test;
    }

    const FORGERIES: [string, () => Headers][] = [
      [
        "a token whose algorithm is 'none'",
        () => {
          const header = base64url({ alg: 'none', typ: 'JWT' });
          const payload = base64url({ ...claims, exp: nowSeconds() + 600, iss: 'cloop', aud: 'console' });
          return bearer(`${header}.${payload}.`);
        },
      ],
      [
        'a token signed with another key',
        () =>
          bearer(
            jwt.sign({ ...claims, exp: nowSeconds() + 600 }, randomBytes(32).toString('base64url'), {
              algorithm: 'HS256',
            }),
          ),
      ],
      ['an expired token', () => bearer(signWithAppKey({ exp: nowSeconds() - 1 }))],
      [
        "a token for the 'widget' audience",
        () => bearer(signWithAppKey({ aud: 'widget', exp: nowSeconds() + 600 })),
      ],
      [
        'a token from another issuer',
        () => bearer(signWithAppKey({ iss: 'not-cloop', exp: nowSeconds() + 600 })),
      ],
      ['a token without an expiry', () => bearer(signWithAppKey({ iat: nowSeconds(), exp: undefined }))],
      [
        'a token that lives longer than the app ever issues (a day)',
        () => bearer(signWithAppKey({ iat: nowSeconds(), exp: nowSeconds() + 24 * 60 * 60 })),
      ],
      [
        'a token issued in the future',
        () => bearer(signWithAppKey({ iat: nowSeconds() + 3600, exp: nowSeconds() + 3600 + 600 })),
      ],
      [
        'a token for a session that never existed',
        () => bearer(signWithAppKey({ sid: randomUUID(), iat: nowSeconds(), exp: nowSeconds() + 600 })),
      ],
      [
        "a token for another user's live session",
        () => bearer(signWithAppKey({ sid: otherClaims.sid, iat: nowSeconds(), exp: nowSeconds() + 600 })),
      ],
      [
        'a token whose session id is not a UUID',
        () => bearer(signWithAppKey({ sid: 'not-a-uuid', iat: nowSeconds(), exp: nowSeconds() + 600 })),
      ],
      ['a refresh token used as the bearer token', () => bearer(owner.refreshToken)],
      ['a garbage string', () => bearer('garbage')],
      ['no Authorization header', () => ({})],
    ];

    it('signs in on GET /api/v1/auth/me with a genuine token and with one the test signs with the app key', async () => {
      await me(owner.accessToken).expect(200);
      await t.http
        .get(route('/api/v1/auth/me'))
        .set(bearer(signWithAppKey({ iat: nowSeconds(), exp: nowSeconds() + 600 })))
        .expect(200);
    });

    it.each(FORGERIES)(
      'answers every signed-in route with 401 UNAUTHENTICATED given %s',
      async (_, forge) => {
        const signedInRoutes = t.routes.filter(
          (route) =>
            route.split(' ')[1]?.startsWith('/api/v1/') &&
            !PUBLIC_ROUTES.includes(route) &&
            !isWidgetRoute(route),
        );
        expect(signedInRoutes).toEqual(
          expect.arrayContaining([
            'GET /api/v1/auth/me',
            'PATCH /api/v1/sites/:siteId',
            'DELETE /api/v1/organizations/:orgId/members/:userId',
            'PATCH /api/v1/sites/:siteId/conversations/:conversationId',
            'DELETE /api/v1/sites/:siteId/conversations/:conversationId',
            'POST /api/v1/sites/:siteId/conversations/:conversationId/messages',
          ]),
        );
        const wrong: string[] = [];
        for (const route of signedInRoutes) {
          const response = await requestFor(route, forge());
          if (response.status !== 401 || codeOf(response) !== 'UNAUTHENTICATED') {
            wrong.push(`${route} → ${response.status} ${codeOf(response)}`);
          }
        }
        expect(wrong).toEqual([]);
        // Nothing the forged calls carried took effect: the genuine session still works, and the
        // conversation is still there without a reply from anyone on the team.
        await me(owner.accessToken).expect(200);
        const transcript = await t.http
          .get(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId,
            }),
          )
          .set(owner.auth)
          .expect(200);
        const agentMessages = (transcript.body as Transcript).messages.filter(
          (message) => message.author === 'agent',
        );
        expect(agentMessages).toEqual([]);
      },
    );
  });

  describe('refresh token rotation', () => {
    it('returns a new pair on refresh, after which the old refresh token is refused', async () => {
      const user = await signUp(t.http);
      const rotated = (await refresh(user.refreshToken).expect(200)).body as AuthResponse;
      expect(rotated.refreshToken).not.toBe(user.refreshToken);
      expect(rotated.user.id).toBe(user.userId);
      await me(rotated.accessToken).expect(200);

      const reused = await refresh(user.refreshToken).expect(401);
      expect(codeOf(reused)).toBe('INVALID_REFRESH_TOKEN');
    });

    it('revokes the whole session when an already-used refresh token is presented again', async () => {
      const user = await signUp(t.http);
      const successor = (await refresh(user.refreshToken).expect(200)).body as AuthResponse;
      await me(successor.accessToken).expect(200);

      expect(codeOf(await refresh(user.refreshToken).expect(401))).toBe('INVALID_REFRESH_TOKEN');

      expect(codeOf(await refresh(successor.refreshToken).expect(401))).toBe('INVALID_REFRESH_TOKEN');
      expect(codeOf(await me(successor.accessToken).expect(401))).toBe('UNAUTHENTICATED');
    });

    it('signs the session out on logout: its refresh and access tokens stop working', async () => {
      const user = await signUp(t.http);
      await me(user.accessToken).expect(200);
      await logout(user.refreshToken).expect(204);
      expect(codeOf(await refresh(user.refreshToken).expect(401))).toBe('INVALID_REFRESH_TOKEN');
      expect(codeOf(await me(user.accessToken).expect(401))).toBe('UNAUTHENTICATED');
    });

    it('answers logout with an unknown but well-formed refresh token with 204', async () => {
      await logout(randomBytes(32).toString('base64url')).expect(204);
    });

    it.each([
      ['refresh', 'too-short'],
      ['refresh', `${'a'.repeat(42)}!`],
      ['logout', 'too-short'],
      ['logout', `${'a'.repeat(42)}=`],
    ])('refuses a malformed refresh token on %s with 400 VALIDATION_FAILED (%s)', async (action, token) => {
      const response = await (action === 'refresh' ? refresh(token) : logout(token)).expect(400);
      expect(codeOf(response)).toBe('VALIDATION_FAILED');
    });

    it('lets at most one of 20 parallel refreshes with one token succeed, and leaves at most one usable successor', async () => {
      const user = await signUp(t.http);
      const responses = await t.concurrently(() =>
        Promise.all(Array.from({ length: 20 }, () => refresh(user.refreshToken))),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
      expect(statuses.filter((status) => status !== 200 && status !== 401)).toEqual([]);

      const successors = responses
        .filter((response) => response.status === 200)
        .map((response) => (response.body as AuthResponse).refreshToken);
      let usable = 0;
      for (const successor of successors) if ((await refresh(successor)).status === 200) usable += 1;
      expect(usable).toBeLessThanOrEqual(1);
    });

    it('keeps two sessions of one user independent: logging out one leaves the other working', async () => {
      const user = await signUp(t.http);
      const second = await login(user);

      await logout(user.refreshToken).expect(204);
      expect(codeOf(await me(user.accessToken).expect(401))).toBe('UNAUTHENTICATED');

      await me(second.accessToken).expect(200);
      const rotated = (await refresh(second.refreshToken).expect(200)).body as AuthResponse;
      await me(rotated.accessToken).expect(200);
    });
  });
});
