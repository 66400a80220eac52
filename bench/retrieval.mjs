// Retrieval latency: POST /api/v1/sites/:siteId/knowledge/search against a site with 10,000 chunks,
// p50/p99 over many questions, beside a direct ts_rank top-8 query on the same table in the same
// run, on embedded PGlite and on the PostgreSQL server side by side (one table). Prints figures;
// never fails on time. Run after `npm run build`:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/retrieval.mjs   both (a scratch
//                                               database on that server, dropped at the end)
//   node bench/retrieval.mjs                    embedded PGlite (in memory) only
// Size: BENCH_CHUNKS (default 10000), BENCH_QUERIES (default 300).
// BENCH_VECTORS=1536: also vector search (pgvector; embedded PGlite has it), with a loopback
// embedding server whose pseudo-random vectors have that many dimensions.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

import { startInProcessApp } from './support/in-process-app.mjs';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const PER_DOCUMENT = 20;
const SEED_BATCH = 50;
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

const DIMENSIONS = Number(process.env.BENCH_VECTORS ?? 0);
const embeddings = DIMENSIONS > 0 ? await startEmbeddingServer(DIMENSIONS) : null;
const figures = [];
try {
  for (const databaseUrl of [null, ...(process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [])])
    figures.push(await measure(databaseUrl));
} finally {
  embeddings?.server.close();
}
const at = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (list, p) => `${at(list, p).toFixed(1)} ms`;
console.log(
  `\n${embeddings ? 'words + vectors' : 'words'}: ${QUERIES} queries each; Cloop = POST …/knowledge/search over HTTP (BM25), ts_rank = a direct ts_rank top-8 query on the same table (SQL)\n`,
);
console.log(
  '| database | chunks | Cloop p50 | Cloop p95 | Cloop p99 | ts_rank p50 | ts_rank p95 | ts_rank p99 | ratio at p50 |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const { kind, count, product, baseline } of figures)
  console.log(
    `| ${kind} | ${count} | ${ms(product, 50)} | ${ms(product, 95)} | ${ms(product, 99)} | ` +
      `${ms(baseline, 50)} | ${ms(baseline, 95)} | ${ms(baseline, 99)} | ${(at(product, 50) / at(baseline, 50)).toFixed(2)}× |`,
  );

/** Seeds a site on PGlite (`databaseUrl` null) or a scratch database of that server, then times both queries. */
async function measure(databaseUrl) {
  const app = await startInProcessApp(
    embeddings ? { EMBEDDING_MODEL: 'bench-embed', EMBEDDING_BASE_URL: embeddings.baseUrl } : {},
    { databaseUrl },
  );
  const { api, db, ownerWithSite } = app;

  try {
    const { auth, site } = await ownerWithSite();
    const [source] = await db.query(
      `INSERT INTO knowledge_sources (site_id, type, title, status) VALUES ($1, 'upload', 'bench', 'ready') RETURNING id`,
      [site.id],
    );
    const seeding = Date.now();
    // 50 documents a statement: the term-statistics triggers run once per statement.
    const documents = Math.ceil(CHUNKS / PER_DOCUMENT);
    for (let first = 0; first < documents; first += SEED_BATCH) {
      const batch = Array.from({ length: Math.min(SEED_BATCH, documents - first) }, (_, i) => first + i);
      const titles = batch.map((document) => `${pick(TOPICS, document)} guide ${document}`);
      const rows = await db.query(
        `INSERT INTO knowledge_documents (source_id, site_id, title, status)
       SELECT $1, $2, t, 'indexed' FROM unnest($3::text[]) WITH ORDINALITY AS x (t, i) ORDER BY i RETURNING id`,
        [source.id, site.id, titles],
      );
      const chunks = batch.flatMap((document, index) =>
        Array.from({ length: PER_DOCUMENT }, (_, i) => ({
          documentId: rows[index].id,
          ordinal: i,
          heading: pick(TOPICS, document),
          title: titles[index],
          content:
            Array.from({ length: 60 }, (_, w) =>
              w % 6 === 0
                ? pick(COMMON, document + w)
                : pick(WORDS, (document * 131 + i * 17 + w * 7919) % WORDS.length),
            ).join(' ') + ` about ${pick(TOPICS, document + i)} number ${document}-${i}.`,
        })),
      );
      // As the indexer stores them: the search vector (title, heading, text) and its length.
      await db.query(
        `INSERT INTO knowledge_chunks (document_id, site_id, ordinal, heading, content, search, length)
       SELECT t.d, $1, t.o, t.h, t.c, v.search, (SELECT coalesce(sum(array_length(positions, 1)), 0) FROM unnest(v.search))
         FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[]) AS t (d, o, h, c, title),
              LATERAL (SELECT knowledge_chunk_vector('english', t.title, t.h, t.c) AS search) v`,
        [
          site.id,
          chunks.map((chunk) => chunk.documentId),
          chunks.map((chunk) => chunk.ordinal),
          chunks.map((chunk) => chunk.heading),
          chunks.map((chunk) => chunk.content),
          chunks.map((chunk) => chunk.title),
        ],
      );
    }
    if (embeddings) {
      const embedding = Date.now();
      const backfill = app.service('knowledge/ingestion/embedding-backfill.js', 'EmbeddingBackfill');
      backfill.kick();
      await backfill.idle();
      console.log(
        `embedded ${DIMENSIONS}-dimension vectors in ${((Date.now() - embedding) / 1000).toFixed(0)} s`,
      );
    }
    await db.query('ANALYZE');
    const [{ count }] = await db.query(
      'SELECT count(*)::int AS count FROM knowledge_chunks WHERE site_id = $1',
      [site.id],
    );
    console.log(`${app.kind}: ${count} chunks (seeded in ${((Date.now() - seeding) / 1000).toFixed(0)} s)`);

    // Interleaved: Cloop's search over HTTP (BM25 over the candidates, passages with their documents)
    // and the baseline, a direct ts_rank top-8 over the same table for the same words, any of them.
    const product = [];
    const baseline = [];
    const timed = async (list, run) => {
      const started = process.hrtime.bigint();
      const result = await run();
      list.push(Number(process.hrtime.bigint() - started) / 1e6);
      return result;
    };
    for (let i = 0; i < QUERIES; i += 1) {
      const query = `How does ${pick(TOPICS, i)} work for my ${pick(COMMON, i)} and ${pick(WORDS, i * 97 + 13)}?`;
      const result = await timed(product, () =>
        api(`/api/v1/sites/${site.id}/knowledge/search`, { method: 'POST', headers: auth, body: { query } }),
      );
      if (i === 0 && result.passages.length === 0)
        throw new Error('the search found nothing: the bench is broken');
      await timed(baseline, () =>
        db.query(
          `SELECT c.id, ts_rank(c.search, q.query) AS rank
           FROM knowledge_chunks c,
                (SELECT to_tsquery('english', string_agg(w, ' | ')) AS query
                   FROM regexp_split_to_table(lower($2), '[^a-z0-9]+') AS w WHERE w <> '') q
          WHERE c.site_id = $1 AND c.search @@ q.query
          ORDER BY rank DESC LIMIT 8`,
          [site.id, query],
        ),
      );
    }
    return { kind: app.kind, count, product, baseline };
  } finally {
    await app.close();
  }
}

/** OpenAI-compatible `/embeddings`: a unit vector per text, derived from its hash. */
async function startEmbeddingServer(dimensions) {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { input } = JSON.parse(body);
      const data = input.map((text, index) => ({
        index,
        embedding: pseudoRandomUnitVector(text, dimensions),
      }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${server.address().port}/v1` };
}

function pseudoRandomUnitVector(text, dimensions) {
  let state = createHash('sha256').update(text).digest().readUInt32LE(0) || 1;
  const vector = Array.from({ length: dimensions }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  });
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
}
