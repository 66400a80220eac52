// Privacy at scale. Prints figures; never fails on time; not run in CI. Run after `npm run build`:
//   node bench/privacy.mjs                      embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/privacy.mjs
//                                               scratch databases on that server, dropped afterwards
// 1. With DATABASE_URL, the heavy visitor (support/privacy-heavy.mjs): the built server as its own
//    process; a visitor with 1,000 conversations × 100 messages among a crowd of visitors on the
//    same site. Their export (beside 10 × 100 and 100 × 100: time grows with the rows) and the
//    server's RSS growth; the site-wide NDJSON export beside `psql \copy` of the same rows; the
//    visitor's erasure. Sizes: BENCH_HEAVY_CONVERSATIONS, BENCH_HEAVY_MESSAGES, BENCH_CROWD_VISITORS
//    (one conversation of BENCH_CROWD_MESSAGES each), BENCH_SITE_RUNS; BENCH_HEAVY=0 skips it.
// 2. In this process: the RSS of streaming the export of a visitor with 100,000 messages, and the
//    time to erase a visitor with 10,000 messages from a database of 1,000,000 messages. Sizes:
//    BENCH_TOTAL_MESSAGES (0 skips this part), BENCH_EXPORT_MESSAGES, BENCH_ERASE_MESSAGES.
import { randomUUID } from 'node:crypto';

import { startInProcessApp } from './support/in-process-app.mjs';
import { heavyVisitorBench } from './support/privacy-heavy.mjs';

if (process.env.DATABASE_URL && process.env.BENCH_HEAVY !== '0') {
  await heavyVisitorBench(process.env.DATABASE_URL, {
    conversations: Number(process.env.BENCH_HEAVY_CONVERSATIONS ?? 1000),
    messages: Number(process.env.BENCH_HEAVY_MESSAGES ?? 100),
    crowd: {
      visitors: Number(process.env.BENCH_CROWD_VISITORS ?? 20_000),
      messages: Number(process.env.BENCH_CROWD_MESSAGES ?? 10),
    },
    runs: Number(process.env.BENCH_SITE_RUNS ?? 3),
  });
}
if (process.env.BENCH_TOTAL_MESSAGES === '0') process.exit(0);

const TOTAL = Number(process.env.BENCH_TOTAL_MESSAGES ?? 1_000_000);
const EXPORTED = Number(process.env.BENCH_EXPORT_MESSAGES ?? 100_000);
const ERASED = Number(process.env.BENCH_ERASE_MESSAGES ?? 10_000);
const PER_BACKGROUND_VISITOR = 100;
const ORIGIN = 'https://bench.example';
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const app = await startInProcessApp();
const { api, base, db, ownerWithSite } = app;

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
  const owner = await ownerWithSite({ allowedOrigins: [ORIGIN] });
  auth = owner.auth;
  const site = owner.site;
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
}
