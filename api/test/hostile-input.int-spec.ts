import { connect } from 'node:net';

import { ERROR_CODES, type ErrorResponse, type Site } from '@cloop/contracts';
import type { Response } from 'supertest';

import {
  createSite,
  createVisitorSession,
  PASSWORD,
  signUp,
  type SignedUpUser,
  uniqueEmail,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

function expectError(response: Response, statusCode: number, code: ErrorResponse['code']): void {
  expect({ status: response.status, body: response.body as unknown }).toEqual({
    status: statusCode,
    body: { statusCode, error: expect.any(String), message: expect.any(String), code },
  });
}

/** `{"a":{"a":…}}` or `[[…]]` nested `depth` levels, written by hand: JSON.stringify would recurse too. */
function nested(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Writes bytes no HTTP client library would send; resolves with the status line and body. */
function rawRequest(host: string, text: string): Promise<{ status: number; body: unknown }> {
  const [hostname, port] = host.split(':');
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer; got ${received}`)));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = received.split('\r\n\r\n');
      try {
        resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(rest.join('\r\n\r\n')) as unknown });
      } catch {
        reject(new Error(`not a JSON answer: ${received.slice(0, 500)}`));
      }
    });
  });
}

describe('hostile input', () => {
  const logLines: string[] = [];
  const stdout: string[] = [];
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;
  let writeSpy: jest.SpyInstance;

  beforeAll(async () => {
    t = await startTestApp({
      env: { LOG_LEVEL: 'info' },
      logStream: { write: (line) => logLines.push(line) },
    });
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: ['https://shop.example'] });
    // Nest's logger (where failures and their stacks go) writes to standard output.
    const write = process.stdout.write.bind(process.stdout);
    writeSpy = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array, ...rest) => {
        stdout.push(String(chunk));
        return write(chunk, ...(rest as []));
      });
  });
  afterAll(async () => {
    writeSpy.mockRestore();
    await t.close();
  });

  describe('deeply nested JSON', () => {
    const routes: [string, string, () => Record<string, string>][] = [
      ['POST', route('/api/v1/auth/login'), () => ({})],
      ['POST', route('/api/v1/auth/signup'), () => ({})],
      ['POST', route('/api/v1/sites'), () => owner.auth],
      ['PATCH', '/api/v1/sites/{site}', () => owner.auth],
    ];

    it.each(
      routes.flatMap(([method, path, headers]) =>
        (['object', 'array'] as const).map((kind) => [method, path, kind, headers] as const),
      ),
    )(
      'refuses %s %s with 10,000 levels of %s with 400 and logs no stack',
      async (method, path, kind, headers) => {
        stdout.length = 0;
        const response = await t.http[method === 'POST' ? 'post' : 'patch'](path.replace('{site}', site.id))
          .set(headers())
          .set('Content-Type', 'application/json')
          .send(
            kind === 'object'
              ? `{"email":"a@example.test","deep":${nested(10_000, kind)}}`
              : nested(10_000, kind),
          );
        expectError(response, 400, 'VALIDATION_FAILED');
        expect(stdout.join('')).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
      },
    );

    it('names the depth limit in the message', async () => {
      const response = await t.http
        .post(route('/api/v1/auth/login'))
        .set('Content-Type', 'application/json')
        .send(nested(33, 'array'));
      expect((response.body as ErrorResponse).message).toMatch(/more than 32 levels/);
    });

    it('still accepts the nesting the API uses', async () => {
      await t.http
        .post(route('/api/v1/sites'))
        .set(owner.auth)
        .send({ organizationId: owner.organizationId, name: 'Shop', widget: { greeting: 'Hello' } })
        .expect(201);
    });
  });

  describe('lone surrogates', () => {
    const LONE = 'a\ud800b';

    it.each<[string, () => Promise<Response>]>([
      [
        'the signup email',
        () =>
          t.http
            .post(route('/api/v1/auth/signup'))
            .send({ email: `x${LONE}@example.test`, password: PASSWORD, name: 'X' }),
      ],
      [
        'the login email',
        () =>
          t.http
            .post(route('/api/v1/auth/login'))
            .send({ email: `x${LONE}@example.test`, password: PASSWORD }),
      ],
      [
        'the signup name',
        () =>
          t.http
            .post(route('/api/v1/auth/signup'))
            .send({ email: uniqueEmail(), password: PASSWORD, name: LONE }),
      ],
      [
        'an invitation email',
        () =>
          t.http
            .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
            .set(owner.auth)
            .send({ email: `x${LONE}@example.test`, role: 'member' }),
      ],
      [
        'a privacy export email',
        () =>
          t.http
            .post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId: site.id }))
            .set(owner.auth)
            .send({ email: `${LONE}@example.test` }),
      ],
      [
        'a privacy erasure email',
        () =>
          t.http
            .post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId: site.id }))
            .set(owner.auth)
            .send({ email: `${LONE}@example.test` }),
      ],
      [
        'the widget entryUrl',
        () =>
          t.http
            .post(route('/api/v1/widget/session'))
            .set({
              'X-Cloop-Site-Key': site.publicKey,
              'X-Cloop-Visitor': crypto.randomUUID(),
              Origin: 'https://shop.example',
            })
            .send({ entryUrl: `https://shop.example/${LONE}` }),
      ],
      [
        'a widget contact email',
        async () => {
          const visitor = await createVisitorSession(t.http, site);
          return t.http
            .put(route('/api/v1/widget/contact'))
            .set(visitor.headers)
            .send({ email: `${LONE}@example.test` });
        },
      ],
      [
        'an object key',
        () =>
          t.http
            .post(route('/api/v1/auth/login'))
            .send({ [LONE]: 1, email: 'a@example.test', password: PASSWORD }),
      ],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, send) => {
      const response = await send();
      expectError(response, 400, 'VALIDATION_FAILED');
      expect((response.body as ErrorResponse).message).toMatch(/valid Unicode/);
    });

    it('accepts a surrogate pair (an emoji)', async () => {
      await t.http
        .post(route('/api/v1/auth/signup'))
        .send({ email: uniqueEmail(), password: PASSWORD, name: 'Ada 🚀' })
        .expect(201);
    });
  });

  describe('malformed HTTP', () => {
    let host: string;
    beforeAll(async () => {
      host = await t.listen();
    });

    const login = (headers: string, body = ''): string =>
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;

    it.each([
      [
        'both Content-Length and Transfer-Encoding',
        login('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'),
        400,
      ],
      ['a header name with a space', 'GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400],
      ['an unknown method', 'BREW /api/health HTTP/1.1\r\nHost: x\r\n\r\n', 400],
      [
        'headers over the size limit',
        `GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
      ],
      [
        'a broken percent-encoding in the path',
        'GET /api/v1/sites/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        400,
      ],
      ['invalid JSON', login('Content-Length: 9\r\nConnection: close\r\n', '{"email":'), 400],
      ['an empty JSON body', login('Content-Length: 0\r\nConnection: close\r\n'), 400],
      [
        'a content type without a type',
        login('Content-Length: 2\r\nConnection: close\r\n', '{}').replace('application/json', ';;;'),
        415,
      ],
      [
        'a body over the limit',
        login(`Content-Length: ${70_000}\r\nConnection: close\r\n`, `"${'x'.repeat(69_998)}"`),
        413,
      ],
    ])('answers %s in the common error shape', async (_, text, status) => {
      const response = await rawRequest(host, text);
      expect(response).toEqual({
        status,
        body: {
          statusCode: status,
          error: expect.any(String),
          message: expect.any(String),
          code: expect.stringMatching(new RegExp(`^(${ERROR_CODES.join('|')})$`)),
        },
      });
    });
  });
});
