// Privacy at scale: the RSS of streaming the export of a visitor with 100,000 messages, and the
// time to erase a visitor with 10,000 messages from a database of 1,000,000 messages.
// Prints figures; never fails on time. Run after `npm run build`:
//   node bench/privacy.mjs                      embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/privacy.mjs
//                                               a scratch database on that server, dropped afterwards
// Sizes: BENCH_TOTAL_MESSAGES, BENCH_EXPORT_MESSAGES, BENCH_ERASE_MESSAGES.
import 'reflect-metadata';

import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const dist = join(import.meta.dirname, '..', 'dist', 'api', 'api', 'src');
const { createApp } = require(join(dist, 'app.factory.js'));
const { loadConfig } = require(join(dist, 'config', 'app-config.js'));
const { openDatabase, IN_MEMORY_EMBEDDED_DATABASE } = require(join(dist, 'database', 'data-source.js'));
const { Client } = require('pg');
const { DataSource } = require('typeorm');

const TOTAL = Number(process.env.BENCH_TOTAL_MESSAGES ?? 1_000_000);
const EXPORTED = Number(process.env.BENCH_EXPORT_MESSAGES ?? 100_000);
const ERASED = Number(process.env.BENCH_ERASE_MESSAGES ?? 10_000);
const PER_BACKGROUND_VISITOR = 100;
const ORIGIN = 'https://bench.example';
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

let scratch = null;
if (process.env.DATABASE_URL) {
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const name = `cloop_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  scratch = { admin, name, url: url.toString() };
}
const config = loadConfig({
  JWT_SECRET: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'warn',
  ...(scratch ? { DATABASE_URL: scratch.url } : {}),
});
const database = await openDatabase(scratch ? config.database : IN_MEMORY_EMBEDDED_DATABASE);
const app = await createApp({ config: { ...config, jwtSecret: config.jwtSecret }, database });
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

/** `visitors` visitors with one conversation of `messages` messages each. */
async function seed(siteId, visitors, messages, visitorUuid = null) {
  await db.query(
    `WITH v AS (
       INSERT INTO visitors (site_id, visitor_uuid)
       SELECT $1, coalesce($4::uuid, gen_random_uuid()) FROM generate_series(1, $2) RETURNING id),
     c AS (
       INSERT INTO conversations (site_id, visitor_id, message_count, last_seq)
       SELECT $1, id, $3, $3 FROM v RETURNING id)
     INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
     SELECT c.id, $1, s, gen_random_uuid(), CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'assistant' END,
            'Message ' || s || ': do you ship to Finland, and how long do returns take?'
       FROM c, generate_series(1, $3) s`,
    [siteId, visitors, messages, visitorUuid],
  );
}

async function exportAndMeasure(visitorId, messages) {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = Date.now();
  const response = await fetch(`${base}/api/v1/sites/${siteId}/privacy/exports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ visitorId }),
  });
  let bytes = 0;
  for await (const chunk of response.body) bytes += chunk.length;
  clearInterval(sampler);
  console.log(
    `export of ${messages} messages: ${mb(bytes)} of JSON in ${Date.now() - started} ms; ` +
      `process RSS ${mb(rssBefore)} before, peak ${mb(peak)} (+${mb(peak - rssBefore)}; server and client share the process)`,
  );
}

let siteId;
let auth;
try {
  const owner = await api('/api/v1/auth/signup', {
    method: 'POST',
    body: { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
  });
  auth = { authorization: `Bearer ${owner.accessToken}` };
  const me = await api('/api/v1/auth/me', { headers: auth });
  const site = await api('/api/v1/sites', {
    method: 'POST',
    headers: auth,
    body: { organizationId: me.organizations[0].id, name: 'Bench', allowedOrigins: [ORIGIN] },
  });
  siteId = site.id;

  const seeding = Date.now();
  const exportedVisitor = randomUUID();
  const erasedVisitor = randomUUID();
  await seed(site.id, 1, EXPORTED, exportedVisitor);
  await seed(site.id, 1, ERASED, erasedVisitor);
  const background = Math.max(0, TOTAL - EXPORTED - ERASED);
  for (let done = 0; done < background; done += PER_BACKGROUND_VISITOR * 1000) {
    const visitors = Math.min(1000, Math.ceil((background - done) / PER_BACKGROUND_VISITOR));
    await seed(site.id, visitors, PER_BACKGROUND_VISITOR);
  }
  await db.query('ANALYZE');
  const [{ count }] = await db.query('SELECT count(*)::int AS count FROM messages');
  console.log(`database: ${count} messages (seeded in ${((Date.now() - seeding) / 1000).toFixed(0)} s)`);

  // Exports of 10x different sizes: with streaming, the memory they need does not grow with size.
  await exportAndMeasure(erasedVisitor, ERASED);
  await exportAndMeasure(exportedVisitor, EXPORTED);

  const erasing = Date.now();
  const erased = await api(`/api/v1/sites/${site.id}/privacy/erasures`, {
    method: 'POST',
    headers: auth,
    body: { visitorId: erasedVisitor },
  });
  console.log(
    `erasure of a visitor with ${ERASED} messages among ${count}: ${Date.now() - erasing} ms ${JSON.stringify(erased.deleted)}`,
  );
} finally {
  await app.close();
  if (scratch) {
    await scratch.admin.query(`DROP DATABASE ${scratch.name} WITH (FORCE)`);
    await scratch.admin.end();
  }
}
