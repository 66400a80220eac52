// The console's inbox with 1,000 conversations: time to interactive in Chromium, and the size of the
// initial JavaScript. Prints figures; never fails on time. Run after
// `npx nx run-many -t build --projects=api,console`:
//   node bench/console-inbox.mjs                 (BENCH_CONVERSATIONS=1000, BENCH_RUNS=5)
// "Interactive" = from navigation start until the first page of conversations is on screen and a
// click on one has opened its transcript (the inbox is usable), measured in the page.
import 'reflect-metadata';

import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

import { launchChromium } from './support/chromium.mjs';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist', 'api', 'api', 'src');
const { createApp } = require(join(dist, 'app.factory.js'));
const { loadConfig } = require(join(dist, 'config', 'app-config.js'));
const { openDatabase, IN_MEMORY_EMBEDDED_DATABASE } = require(join(dist, 'database', 'data-source.js'));
const { ENTITIES } = require(join(dist, 'entities.js'));
const { DataSource } = require('typeorm');

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MESSAGES_EACH = 4;

function initialBundle() {
  const dir = join(root, 'dist', 'console', 'browser');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  let raw = 0;
  let br = 0;
  for (const [, src] of html.matchAll(
    /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/console\/([^"]+\.js)"/g,
  )) {
    const bytes = readFileSync(join(dir, src));
    raw += bytes.length;
    br += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return `${(raw / 1024).toFixed(1)} KB raw, ${(br / 1024).toFixed(1)} KB brotli`;
}

const config = loadConfig({
  JWT_SECRET: randomBytes(32).toString('base64url'),
  AUDIT_KEY: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'warn',
});
const database = await openDatabase(IN_MEMORY_EMBEDDED_DATABASE, { entities: ENTITIES });
const app = await createApp({
  config: { ...config, jwtSecret: config.jwtSecret, auditKey: config.auditKey },
  database,
  consoleDir: join(root, 'dist', 'console', 'browser'),
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const db = app.get(DataSource);

async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body && JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const browser = await launchChromium();
try {
  const auth = await api('/api/v1/auth/signup', {
    method: 'POST',
    body: { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
  });
  const headers = { authorization: `Bearer ${auth.accessToken}` };
  const me = await api('/api/v1/auth/me', { headers });
  const site = await api('/api/v1/sites', {
    method: 'POST',
    headers,
    body: {
      organizationId: me.organizations[0].id,
      name: 'Bench',
      allowedOrigins: ['https://bench.example'],
    },
  });
  // One statement, like the privacy bench: visitors, their conversations (one a minute apart), messages.
  await db.query(
    `WITH g AS (SELECT n, gen_random_uuid() AS u FROM generate_series(1, $2) n),
     v AS (INSERT INTO visitors (site_id, visitor_uuid) SELECT $1, u FROM g RETURNING id, visitor_uuid),
     c AS (
       INSERT INTO conversations (site_id, visitor_id, message_count, last_seq, entry_url, last_message_at)
       SELECT $1, v.id, $3, $3, 'https://bench.example/products/' || g.n, now() - g.n * interval '1 minute'
         FROM v JOIN g ON g.u = v.visitor_uuid
       RETURNING id)
     INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
     SELECT c.id, $1, s, gen_random_uuid(), CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'assistant' END,
            'Message ' || s || ': do you ship to Finland, and how long do returns take?'
       FROM c, generate_series(1, $3) s`,
    [site.id, CONVERSATIONS, MESSAGES_EACH],
  );
  await db.query('ANALYZE');
  const [{ count }] = await db.query('SELECT count(*)::int AS count FROM conversations WHERE site_id = $1', [
    site.id,
  ]);
  console.log(`inbox: ${count} conversations, ${MESSAGES_EACH} messages each`);
  console.log(`initial JavaScript: ${initialBundle()}`);

  const timings = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // A fresh sign-in each run (cold cache): tokens go in as the console itself would store them.
    const pair = await api('/api/v1/auth/login', {
      method: 'POST',
      body: { email: auth.user.email, password: 'a bench passphrase' },
    });
    await page.goto(`${base}/console/sign-in`);
    await page.evaluate(
      ([a, r, s]) => {
        localStorage.setItem('cloop.accessToken', a);
        localStorage.setItem('cloop.refreshToken', r);
        localStorage.setItem('cloop.siteId', s);
      },
      [pair.accessToken, pair.refreshToken, site.id],
    );
    await context.clearCookies();
    const started = Date.now();
    await page.goto(`${base}/console/inbox`);
    await page.waitForSelector('[data-testid=conversation-item]');
    const listed = Date.now() - started;
    await page.locator('[data-testid=conversation-item]').first().click();
    await page.waitForSelector('[data-testid=message-body]');
    const interactive = Date.now() - started;
    const nav = await page.evaluate(
      () => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    );
    // Then scroll the whole inbox in (infinite scroll, 50 a page).
    const scrolling = Date.now();
    for (;;) {
      const n = await page.locator('[data-testid=conversation-item]').count();
      if (n >= count) break;
      await page.locator('[data-testid=conversation-item]').last().scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (seen) => document.querySelectorAll('[data-testid=conversation-item]').length > seen,
        n,
      );
    }
    const all = Date.now() - scrolling;
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    timings.push({ listed, interactive, nav, all, heap });
    await context.close();
  }
  const median = (key) => timings.map((t) => t[key]).sort((a, b) => a - b)[Math.floor(timings.length / 2)];
  console.log(`median of ${RUNS} cold loads of /console/inbox:`);
  console.log(`  DOMContentLoaded            ${median('nav').toFixed(0)} ms`);
  console.log(`  first page of 50 on screen  ${median('listed')} ms`);
  console.log(`  interactive (transcript open after a click)  ${median('interactive')} ms`);
  console.log(
    `  infinite scroll through all ${count}  ${median('all')} ms; JS heap after ${(median('heap') / 2 ** 20).toFixed(1)} MB`,
  );
} finally {
  await browser.close();
  await app.close();
}
