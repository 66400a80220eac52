import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { openInMemoryDatabase } from './support/test-app';

const INDEX =
  '<!doctype html><html><head><script src="/console/prefs.js"></script></head><body><cl-root></cl-root></body></html>';
const MAIN = `console.log(${JSON.stringify('x'.repeat(2000))});`;

describe('the console served at /console/', () => {
  let app: NestFastifyApplication;
  let http: TestAgent;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloop-console-'));
    const config = loadConfig({
      JWT_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://chat.example.com',
    });
    const database = await openInMemoryDatabase();
    app = await createApp({
      config: {
        ...config,
        jwtSecret: config.jwtSecret ?? '',
        auditKey: randomBytes(32).toString('base64url'),
      },
      database,
      consoleDir: dir,
    });
    await app.getHttpAdapter().getInstance().ready();
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says clearly that the console is not built instead of failing', async () => {
    const response = await http.get('/console/').expect(503);
    expect(response.text).toContain('console is not built');
    expect(response.text).toContain('nx run console:build');
  });

  describe('once built', () => {
    beforeAll(async () => {
      await writeFile(join(dir, 'index.html'), INDEX);
      await writeFile(join(dir, 'main-ABCD1234.js'), MAIN);
      await writeFile(join(dir, 'prefs.js'), '/* prefs */');
    });

    it('serves index.html with a strict Content-Security-Policy and no caching', async () => {
      const response = await http.get('/console/').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.text).toBe(INDEX);
      const csp = String(response.headers['content-security-policy']).split(/;\s*/);
      expect(csp).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
          "connect-src 'self' wss://chat.example.com",
        ]),
      );
      expect(csp.join(';')).not.toContain('unsafe-inline');
      expect(csp.join(';')).not.toContain('unsafe-eval');
    });

    it('answers deep links with the app so the router can take over', async () => {
      const response = await http.get('/console/inbox/2b0c6a40-9e1c-4a53-8f0e-0d1b3b4c5d6e?x=1').expect(200);
      expect(response.text).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it('redirects /console to /console/', async () => {
      const response = await http.get('/console').expect(301);
      expect(response.headers['location']).toBe('/console/');
    });

    it('caches hashed assets for a year and unhashed ones not at all', async () => {
      const hashed = await http.get('/console/main-ABCD1234.js').expect(200);
      expect(hashed.headers['content-type']).toMatch(/^text\/javascript/);
      expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(hashed.text).toBe(MAIN);
      const plain = await http.get('/console/prefs.js').expect(200);
      expect(plain.headers['cache-control']).toBe('no-cache');
    });

    it('sends brotli to browsers that accept it', async () => {
      const response = await http
        .get('/console/main-ABCD1234.js')
        .set('Accept-Encoding', 'gzip, br')
        .expect(200);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers['vary']).toContain('Accept-Encoding');
      // On the wire: the compressed size; supertest hands the test the decompressed text.
      expect(Number(response.headers['content-length'])).toBeLessThan(MAIN.length / 4);
      expect(response.text).toBe(MAIN);
    });

    it('answers a missing asset with 404, not with the app', async () => {
      await http.get('/console/chunk-ZZZZ9999.js').expect(404);
    });

    it('never serves files outside the build folder', async () => {
      const response = await http.get('/console/..%2f..%2fpackage.json');
      expect(response.text).not.toContain('"dependencies"');
      expect([200, 404]).toContain(response.status);
    });

    it('leaves the API its own JSON errors', async () => {
      const response = await http.get('/api/v1/nothing-here').expect(404);
      expect(response.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    });
  });
});
