import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import type { ErrorResponse, WidgetConfig } from '@cloop/contracts';

import { createSite, createVisitorSession, signUp, type SignedUpUser } from './support/factories';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const PUBLIC_URL = 'https://cloop.example';
const SHOP_ORIGIN = 'https://shop.example';
const WIDGET_SOURCE = `(function(){/* the widget */window.__built=${Date.now()};})();`;

describe('static files', () => {
  let t: TestApp;
  let folder: string;
  /** `host:port` of the listening app, for clients other than supertest. */
  let host: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cloop-static-'));
    writeFileSync(join(folder, 'widget.js'), WIDGET_SOURCE);
    t = await startTestApp({ env: { PUBLIC_URL }, widgetJsPath: join(folder, 'widget.js') });
    host = await t.listen();
  });
  afterAll(async () => {
    await t.close();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('/widget.js', () => {
    it('serves the built widget for any site to load, cacheable briefly and revalidated by ETag', async () => {
      const response = await t.http.get('/widget.js').set('Accept-Encoding', 'identity').expect(200);

      expect(response.text).toBe(WIDGET_SOURCE);
      expect(response.headers).toMatchObject({
        'content-type': 'application/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'cross-origin-resource-policy': 'cross-origin',
        etag: expect.stringMatching(/^"[\w-]{22}"$/),
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('answers a revalidation with the same ETag with 304 and no body', async () => {
      const { etag } = (await t.http.get('/widget.js').expect(200)).headers;
      const response = await t.http.get('/widget.js').set('If-None-Match', String(etag)).expect(304);
      expect(response.text ?? '').toBe('');
    });

    it('sends it gzipped to browsers that accept gzip', async () => {
      // Raw bytes over plain node:http: supertest would unzip the body before the test sees it.
      const { headers, body } = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>(
        (resolve, reject) => {
          get(`http://${host}/widget.js`, { headers: { 'Accept-Encoding': 'gzip, br' } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          }).on('error', reject);
        },
      );
      expect(headers['content-encoding']).toBe('gzip');
      expect(headers['vary']).toContain('Accept-Encoding');
      expect(gunzipSync(body).toString('utf8')).toBe(WIDGET_SOURCE);
    });

    it('serves a rebuilt widget without a restart, under a new ETag', async () => {
      const before = (await t.http.get('/widget.js').expect(200)).headers['etag'];
      const rebuilt = `${WIDGET_SOURCE}\n// rebuilt`;
      writeFileSync(join(folder, 'widget.js'), rebuilt);
      const after = await t.http.get('/widget.js').set('Accept-Encoding', 'identity').expect(200);
      expect(after.text).toBe(rebuilt);
      expect(after.headers['etag']).not.toBe(before);
    });
  });

  describe('the demo page', () => {
    it('is a static page with a strict policy: no inline script, no cookies, nothing from elsewhere', async () => {
      const response = await t.http.get('/').expect(200);

      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['set-cookie']).toBeUndefined();
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const scripts = response.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts).toEqual(['<script src="/demo.js" defer>']);
      expect(response.text).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(response.text).toContain('?siteKey=');
    });

    it.each([
      ['/demo.js', 'application/javascript; charset=utf-8', 'data-site-key'],
      ['/demo.css', 'text/css; charset=utf-8', 'font'],
    ])('serves %s', async (path, type, content) => {
      const response = await t.http.get(path).expect(200);
      expect(response.headers['content-type']).toBe(type);
      expect(response.text).toContain(content);
    });
  });

  it('serves /favicon.ico, which browsers ask for on every page of the origin (a 404 is a console error)', async () => {
    const response = await t.http
      .get('/favicon.ico')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(String(response.body)).toMatch(/^<svg /);
  });

  describe("Cloop's own origin (the demo page)", () => {
    let owner: SignedUpUser;
    beforeAll(async () => {
      owner = await signUp(t.http);
    });

    it("may use any site's widget, though it is not among the site's allowed origins", async () => {
      const site = await createSite(t.http, owner, { allowedOrigins: [SHOP_ORIGIN] });
      const config = await t.http
        .get(route('/api/v1/widget/config'))
        .set({ 'X-Cloop-Site-Key': site.publicKey, Origin: PUBLIC_URL })
        .expect(200);
      expect((config.body as WidgetConfig).widget.assistantName).toEqual(expect.any(String));
      expect(config.headers['access-control-allow-origin']).toBe(PUBLIC_URL);

      const session = await createVisitorSession(t.http, site, { origin: PUBLIC_URL });
      expect(session.conversation.id).toEqual(expect.any(String));
    });

    it('may open the realtime socket for a visitor of any site', async () => {
      const site = await createSite(t.http, owner, { allowedOrigins: [SHOP_ORIGIN] });
      const session = await createVisitorSession(t.http, site, { origin: PUBLIC_URL });
      const client = await RealtimeClient.connect(host, PUBLIC_URL);
      try {
        client.send({ type: 'auth', siteKey: site.publicKey, visitorId: session.visitorId });
        expect(await client.next(ofType('ready'))).toEqual({ type: 'ready' });
        expect(client.frames.filter((frame) => frame.type === 'error')).toEqual([]);
      } finally {
        client.socket.close();
      }
    });

    it.each([
      ['another site', 'https://outsider.example'],
      ["the site's origin on another port", 'https://cloop.example:8443'],
      ['plain http of the same host', 'http://cloop.example'],
    ])('still refuses %s', async (_, origin) => {
      const site = await createSite(t.http, owner, { allowedOrigins: [SHOP_ORIGIN] });
      const response = await t.http
        .get(route('/api/v1/widget/config'))
        .set({ 'X-Cloop-Site-Key': site.publicKey, Origin: origin })
        .expect(403);
      expect((response.body as ErrorResponse).code).toBe('ORIGIN_NOT_ALLOWED');
    });
  });
});

describe('static files before the widget is built', () => {
  it('answers /widget.js with 404 and a hint', async () => {
    const t = await startTestApp({ widgetJsPath: join(tmpdir(), 'no-such-dir', 'widget.js') });
    try {
      const response = await t.http.get('/widget.js').expect(404);
      expect((response.body as ErrorResponse).message).toContain('npm run build');
    } finally {
      await t.close();
    }
  });
});
