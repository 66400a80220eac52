// Retrieval latency: POST /api/v1/sites/:siteId/knowledge/search against a site with 10,000 chunks,
// p50/p99 over many questions. Prints figures; never fails on time. Run after `npm run build`:
//   node bench/retrieval.mjs                    embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/retrieval.mjs
// Size: BENCH_CHUNKS (default 10000), BENCH_QUERIES (default 300).
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

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const PER_DOCUMENT = 20;
const TOPICS = [
  'shipping',
  'returns',
  'warranty',
  'payment',
  'gift card',
  'opening hours',
  'engraving',
  'loyalty',
  'dishwasher',
  'wholesale',
  'parking',
  'refund',
  'invoice',
  'tracking',
  'glaze',
  'teapot',
  'espresso',
  'discount',
];
const COMMON = [
  'order',
  'mug',
  'delivery',
  'customer',
  'price',
  'store',
  'online',
  'days',
  'euro',
  'ceramic',
];
// A site's vocabulary: a few common words and many rarer ones, as real pages have.
const WORDS = [...COMMON, ...Array.from({ length: 3000 }, (_, i) => `term${i.toString(36)}`)];
const pick = (list, i) => list[i % list.length];

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

async function api(path, { method = 'GET', body, headers = {} } = {}, retried = false) {
  let response;
  try {
    response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body && JSON.stringify(body),
    });
  } catch (error) {
    // A kept-alive connection the server closed while the bench was seeding: once more, afresh.
    if (retried) throw error;
    return api(path, { method, body, headers }, true);
  }
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

try {
  const owner = await api('/api/v1/auth/signup', {
    method: 'POST',
    body: { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
  });
  const auth = { authorization: `Bearer ${owner.accessToken}` };
  const me = await api('/api/v1/auth/me', { headers: auth });
  const site = await api('/api/v1/sites', {
    method: 'POST',
    headers: auth,
    body: { organizationId: me.organizations[0].id, name: 'Bench' },
  });
  const [source] = await db.query(
    `INSERT INTO knowledge_sources (site_id, type, title, status) VALUES ($1, 'upload', 'bench', 'ready') RETURNING id`,
    [site.id],
  );
  const seeding = Date.now();
  for (let document = 0; document * PER_DOCUMENT < CHUNKS; document += 1) {
    const [row] = await db.query(
      `INSERT INTO knowledge_documents (source_id, site_id, title, status) VALUES ($1, $2, $3, 'indexed') RETURNING id`,
      [source.id, site.id, `${pick(TOPICS, document)} guide ${document}`],
    );
    const contents = Array.from(
      { length: PER_DOCUMENT },
      (_, i) =>
        Array.from({ length: 60 }, (_, w) =>
          w % 6 === 0
            ? pick(COMMON, document + w)
            : pick(WORDS, (document * 131 + i * 17 + w * 7919) % WORDS.length),
        ).join(' ') + ` about ${pick(TOPICS, document + i)} number ${document}-${i}.`,
    );
    await db.query(
      `INSERT INTO knowledge_chunks (document_id, site_id, ordinal, heading, content)
       SELECT $1, $2, i, $3, c FROM unnest($4::text[]) WITH ORDINALITY AS t (c, i)`,
      [row.id, site.id, pick(TOPICS, document), contents],
    );
  }
  await db.query('ANALYZE');
  const [{ count }] = await db.query(
    'SELECT count(*)::int AS count FROM knowledge_chunks WHERE site_id = $1',
    [site.id],
  );
  console.log(
    `${scratch ? 'PostgreSQL' : 'PGlite'}: ${count} chunks (seeded in ${((Date.now() - seeding) / 1000).toFixed(0)} s)`,
  );

  const timings = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const query = `How does ${pick(TOPICS, i)} work for my ${pick(COMMON, i)} and ${pick(WORDS, i * 97 + 13)}?`;
    const started = process.hrtime.bigint();
    const result = await api(`/api/v1/sites/${site.id}/knowledge/search`, {
      method: 'POST',
      headers: auth,
      body: { query },
    });
    timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (i === 0 && result.passages.length === 0)
      throw new Error('the search found nothing: the bench is broken');
  }
  timings.sort((a, b) => a - b);
  const at = (p) => timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))].toFixed(1);
  console.log(
    `search over ${count} chunks, ${QUERIES} queries: p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms`,
  );
} finally {
  await app.close();
  if (scratch) {
    await scratch.admin.query(`DROP DATABASE ${scratch.name} WITH (FORCE)`);
    await scratch.admin.end();
  }
}
