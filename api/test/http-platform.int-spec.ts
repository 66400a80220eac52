import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type {
  ErrorResponse,
  HealthResponse,
  LoginRequest,
  SignupRequest,
  Site,
  WidgetSessionRequest,
} from '@cloop/contracts';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

import { createSite, PASSWORD, signUp, type SignedUpUser, uniqueEmail } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

interface OpenApiOperation {
  responses?: Record<string, unknown>;
  security?: Record<string, string[]>[];
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation | undefined>>;
}

const OVER_64_KIB = 'x'.repeat(64 * 1024 + 1);
const SHOP_ORIGIN = 'https://shop.example';

type Verb = 'get' | 'post' | 'patch' | 'put' | 'delete';

function expectErrorShape(response: Response, statusCode: number, code: ErrorResponse['code']): void {
  expect(response.status).toBe(statusCode);
  expect(response.body).toEqual({ statusCode, error: expect.any(String), message: expect.any(String), code });
}

/**
 * `METHOD /api/v1/...` routes of the app, with their params written the OpenAPI way. CORS preflights
 * (`OPTIONS`) are left out: they are deliberately undocumented.
 */
function apiRoutes(t: TestApp): { method: string; verb: Verb; path: string; openApiPath: string }[] {
  return t.routes
    .map((route) => route.split(' ') as [string, string])
    .filter(([method, path]) => path.startsWith('/api/v1/') && method !== 'OPTIONS')
    .map(([method, path]) => ({
      method,
      verb: method.toLowerCase() as Verb,
      path,
      openApiPath: path.replace(/:(\w+)/g, '{$1}'),
    }));
}

describe('HTTP platform', () => {
  let t: TestApp;
  let owner: SignedUpUser;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http);
  });
  afterAll(() => t.close());

  describe('errors', () => {
    it.each([
      ['GET', '/api/v1/no-such-thing'],
      ['POST', '/api/v1/sites/not-a-route/at-all'],
      ['DELETE', '/api/health'],
    ])('answers %s %s with 404 ROUTE_NOT_FOUND in the common error shape', async (method, path) => {
      const response = await t.http[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path);
      expectErrorShape(response, 404, 'ROUTE_NOT_FOUND');
    });

    it('answers malformed JSON with 400 in the common error shape', async () => {
      const response = await t.http
        .post(route('/api/v1/auth/login'))
        .set('Content-Type', 'application/json')
        .send('{"email": "a@example.test", ');
      expectErrorShape(response, 400, 'BAD_REQUEST');
    });

    it.each([
      [
        'the login email',
        () => t.http.post(route('/api/v1/auth/login')).send({ email: 'a\u0000@example.test', password: 'x' }),
      ],
      [
        'a nested field',
        () =>
          t.http
            .post(route('/api/v1/sites'))
            .set(owner.auth)
            .send({ organizationId: owner.organizationId, name: 'Shop', widget: { greeting: 'hi\u0000' } }),
      ],
      ['the query string', () => t.http.get(`${route('/api/v1/sites')}?cursor=%00`).set(owner.auth)],
    ])('refuses a NUL character in %s with 400 VALIDATION_FAILED, not a database error', async (_, send) => {
      expectErrorShape(await send(), 400, 'VALIDATION_FAILED');
    });

    it('refuses a cursor whose date PostgreSQL could not compare with 400 VALIDATION_FAILED', async () => {
      const cursor = Buffer.from(JSON.stringify(['-010000-01-01T00:00:00.000Z', randomUUID()])).toString(
        'base64url',
      );
      expectErrorShape(
        await t.http.get(`${route('/api/v1/sites')}?cursor=${cursor}`).set(owner.auth),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('refuses a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const response = await t.http
        .post(route('/api/v1/auth/login'))
        .set('Content-Type', 'text/plain')
        .send('hello');
      expectErrorShape(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses a body over 64 KiB with 413 PAYLOAD_TOO_LARGE and creates nothing', async () => {
      const email = uniqueEmail('huge');
      const body: SignupRequest = { email, password: PASSWORD, name: OVER_64_KIB };

      const response = await t.http.post(route('/api/v1/auth/signup')).send(body);

      expectErrorShape(response, 413, 'PAYLOAD_TOO_LARGE');
      const login: LoginRequest = { email, password: PASSWORD };
      await t.http.post(route('/api/v1/auth/login')).send(login).expect(401);
    });
  });

  describe('headers', () => {
    const requests: [string, () => Promise<Response>][] = [
      ['a health check', () => t.http.get('/api/health')],
      ['the OpenAPI document', () => t.http.get('/api/openapi.json')],
      ['the API docs page', () => t.http.get('/api/docs')],
      [
        'a signup',
        () =>
          t.http
            .post(route('/api/v1/auth/signup'))
            .send({ email: uniqueEmail(), password: PASSWORD, name: 'X' }),
      ],
      [
        'a login',
        () => t.http.post(route('/api/v1/auth/login')).send({ email: owner.email, password: PASSWORD }),
      ],
      ['a signed-in read', () => t.http.get(route('/api/v1/auth/me')).set(owner.auth)],
      ['a request without a token', () => t.http.get(route('/api/v1/auth/me'))],
      ['an unknown route', () => t.http.get('/api/v1/no-such-thing')],
      ['a validation failure', () => t.http.post(route('/api/v1/auth/login')).send({})],
      [
        'an oversized body',
        () => t.http.post(route('/api/v1/auth/login')).send({ email: OVER_64_KIB, password: 'x' }),
      ],
    ];

    it.each(requests)('hardens %s with security headers and sets no cookie', async (_, send) => {
      const response = await send();

      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it.each(
      requests.filter(
        ([label]) => !['a health check', 'the OpenAPI document', 'the API docs page'].includes(label),
      ),
    )('forbids caching of %s under /api/v1', async (_, send) => {
      expect((await send()).headers['cache-control']).toBe('no-store');
    });

    it('gives every request its own id', async () => {
      const first = await t.http.get('/api/health');
      const second = await t.http.get('/api/health');
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });
  });

  it('reports itself alive', async () => {
    const response = await t.http.get('/api/health').expect(200);
    expect(response.body as HealthResponse).toEqual({ status: 'ok' });
  });

  describe('OpenAPI', () => {
    async function openApi(): Promise<OpenApiDocument> {
      return (await t.http.get('/api/openapi.json').expect(200)).body as OpenApiDocument;
    }

    it('documents every /api/v1 route of the app with its responses', async () => {
      const document = await openApi();
      const routes = apiRoutes(t);

      expect(document.openapi).toMatch(/^3\./);
      expect(routes.length).toBeGreaterThan(10);
      const undocumented = routes.filter(
        ({ method, openApiPath }) => document.paths[openApiPath]?.[method.toLowerCase()] === undefined,
      );
      expect(undocumented).toEqual([]);
      const documentedPreflights = Object.entries(document.paths)
        .filter(([, item]) => item['options'] !== undefined)
        .map(([path]) => path);
      expect(documentedPreflights).toEqual([]);
      const withoutResponses = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, operation]) => Object.keys(operation?.responses ?? {}).length === 0)
          .map(([method]) => `${method} ${path}`),
      );
      expect(withoutResponses).toEqual([]);
    });

    it('requires the console bearer token on every operation that refuses anonymous callers', async () => {
      const document = await openApi();
      const guarded: string[] = [];
      const unsecured: string[] = [];
      for (const { method, verb, path, openApiPath } of apiRoutes(t)) {
        // Whether a route is public is read from the app's behaviour, not from the document under test.
        const url = path.replace(/:\w+/g, randomUUID());
        const anonymous = await (verb === 'get' || verb === 'delete'
          ? t.http[verb](url)
          : t.http[verb](url).send({}));
        if ((anonymous.body as Partial<ErrorResponse>).code !== 'UNAUTHENTICATED') continue;
        guarded.push(`${method} ${path}`);
        const security = document.paths[openApiPath]?.[verb]?.security ?? [];
        if (!security.some((requirement) => 'console' in requirement)) unsecured.push(`${method} ${path}`);
      }
      expect(unsecured).toEqual([]);
      expect(guarded).toContain('GET /api/v1/sites');
      expect(guarded).not.toContain('POST /api/v1/auth/login');
    });

    it('requires the site key on every widget operation, with the visitor id on visitor routes, and never the bearer token', async () => {
      const document = await openApi();
      const site = await createSite(t.http, owner);
      const widgetRoutes = apiRoutes(t).filter(({ path }) => path.startsWith('/api/v1/widget/'));
      const visitorRoutes: string[] = [];
      const wrong: string[] = [];
      for (const { method, verb, path, openApiPath } of widgetRoutes) {
        // What a route requires is read from the app's behaviour, not from the document under test.
        const send = (headers: Record<string, string>) =>
          verb === 'get' || verb === 'delete'
            ? t.http[verb](path).set(headers)
            : t.http[verb](path).set(headers).send({});
        const withoutKey = (await send({})).body as Partial<ErrorResponse>;
        const keyOnly = (await send({ 'X-Cloop-Site-Key': site.publicKey })).body as Partial<ErrorResponse>;
        const required = keyOnly.code === 'VISITOR_ID_INVALID' ? ['siteKey', 'visitor'] : ['siteKey'];
        if (required.includes('visitor')) visitorRoutes.push(`${method} ${path}`);
        // Each entry of `security` is an alternative: every one must ask for all the headers needed.
        const security = document.paths[openApiPath]?.[verb]?.security ?? [];
        const complete =
          security.length > 0 &&
          security.every(
            (requirement) => required.every((name) => name in requirement) && !('console' in requirement),
          );
        if (withoutKey.code !== 'SITE_KEY_INVALID' || !complete) {
          wrong.push(
            `${method} ${path}: ${withoutKey.code} without a key, security ${JSON.stringify(security)}`,
          );
        }
      }
      expect(wrong).toEqual([]);
      expect(visitorRoutes.sort()).toEqual([
        'DELETE /api/v1/widget/privacy',
        'GET /api/v1/widget/messages',
        'GET /api/v1/widget/privacy/export',
        'GET /api/v1/widget/unread',
        'POST /api/v1/widget/messages',
        'POST /api/v1/widget/session',
        'PUT /api/v1/widget/contact',
        'PUT /api/v1/widget/seen',
      ]);
    });

    it('serves the interactive docs as HTML', async () => {
      const response = await t.http.get('/api/docs').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toMatch(/<html/i);
    });
  });

  describe('widget API', () => {
    let site: Site;
    beforeAll(async () => {
      site = await createSite(t.http, owner, { allowedOrigins: [SHOP_ORIGIN] });
    });

    const visitor = (origin: string): Record<string, string> => ({
      'X-Cloop-Site-Key': site.publicKey,
      'X-Cloop-Visitor': randomUUID(),
      Origin: origin,
    });
    const preflight = (origin: string) =>
      t.http
        .options(route('/api/v1/widget/messages'))
        .set({ Origin: origin, 'Access-Control-Request-Method': 'POST' });

    const requests: [string, number, () => Promise<Response>][] = [
      [
        'the config for an allowed origin',
        200,
        () => t.http.get(route('/api/v1/widget/config')).set(visitor(SHOP_ORIGIN)),
      ],
      [
        'the config for an origin the site does not allow',
        403,
        () => t.http.get(route('/api/v1/widget/config')).set(visitor('https://elsewhere.example')),
      ],
      [
        'the config for an unknown site key',
        401,
        () =>
          t.http
            .get(route('/api/v1/widget/config'))
            .set({ ...visitor(SHOP_ORIGIN), 'X-Cloop-Site-Key': `pk_${'x'.repeat(24)}` }),
      ],
      [
        'a session',
        200,
        () =>
          t.http
            .post(route('/api/v1/widget/session'))
            .set(visitor(SHOP_ORIGIN))
            .send({ entryUrl: `${SHOP_ORIGIN}/` } satisfies WidgetSessionRequest),
      ],
      ['a catch-up', 200, () => t.http.get(route('/api/v1/widget/messages')).set(visitor(SHOP_ORIGIN))],
      ['a preflight from an allowed origin', 204, () => preflight(SHOP_ORIGIN)],
      ['a preflight from an unknown origin', 204, () => preflight('https://elsewhere.example')],
    ];

    it.each(requests)('answers %s with %i and Vary: Origin', async (_, status, send) => {
      const response = await send();
      expect(response.status).toBe(status);
      const vary = String(response.headers['vary'] ?? '')
        .split(',')
        .map((value) => value.trim().toLowerCase());
      expect(vary).toContain('origin');
    });
  });

  describe('rate limits', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({
        rateLimits: { public: { limit: 2, windowMs: 60_000 }, auth: { limit: 2, windowMs: 60_000 } },
      });
    });
    afterAll(() => limited.close());

    const health = (http: TestAgent, ip: string) => http.get('/api/health').set('X-Forwarded-For', ip);
    const login = (http: TestAgent, ip: string) =>
      http.post(route('/api/v1/auth/login')).set('X-Forwarded-For', ip).send({});

    it('refuses the third public request from one IP with 429 and Retry-After, not requests from another IP', async () => {
      await health(limited.http, '203.0.113.10').expect(200);
      await health(limited.http, '203.0.113.10').expect(200);

      const refused = await health(limited.http, '203.0.113.10');

      expectErrorShape(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await health(limited.http, '203.0.113.11').expect(200);
    });

    it('counts every address of one IPv6 /64 as one client', async () => {
      await health(limited.http, '2001:db8:aa:bb::1').expect(200);
      await health(limited.http, '2001:db8:aa:bb:ffff:1:2:3').expect(200);
      expectErrorShape(await health(limited.http, '2001:db8:aa:bb::9'), 429, 'RATE_LIMITED');
      await health(limited.http, '2001:db8:aa:cc::1').expect(200);
    });

    it("applies the operator's RATE_LIMITS file over the defaults", async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'cloop-limits-')), 'limits.json');
      writeFileSync(file, JSON.stringify({ public: { limit: 1 } }));
      const configured = await startTestApp({ env: { RATE_LIMITS: file } });
      try {
        await health(configured.http, '203.0.113.30').expect(200);
        expectErrorShape(await health(configured.http, '203.0.113.30'), 429, 'RATE_LIMITED');
        // The auth group keeps its default of 30 a minute: two sign-in attempts are no flood.
        await login(configured.http, '203.0.113.30').expect(400);
        await login(configured.http, '203.0.113.30').expect(400);
      } finally {
        await configured.close();
      }
    });

    it('counts sign-in requests apart from public ones', async () => {
      const ip = '203.0.113.20';
      await health(limited.http, ip).expect(200);
      await health(limited.http, ip).expect(200);

      await login(limited.http, ip).expect(400);
      await login(limited.http, ip).expect(400);
      expectErrorShape(await login(limited.http, ip), 429, 'RATE_LIMITED');
      expectErrorShape(await health(limited.http, ip), 429, 'RATE_LIMITED');
    });
  });
});
