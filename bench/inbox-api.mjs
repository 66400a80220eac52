// The console's inbox list over HTTP (GET /api/v1/sites/:siteId/conversations) beside the same SQL
// run directly in the database, on generated data: pages at several depths, each filter the console
// offers, and `q` for a rare and a common word. Then the write cost of the inbox indexes on the
// statement every message runs (the conversation's activity update), with and without them.
// Prints p50s and ratios; never fails on time; not CI. The Chromium side is bench/console-inbox.mjs.
// Run after building the API (`npx nx run api:build`):
//   node bench/inbox-api.mjs
// Settings: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a scratch database is
// created in it and dropped), BENCH_CONVERSATIONS (200000), BENCH_MESSAGES_EACH (5), BENCH_RUNS
// (100 rounds: each case once a round), BENCH_WRITES (2000 updates per write-cost round), BENCH_APP (the built
// main.js, e.g. of another branch, to measure before and after), BENCH_KEEP=1 (keep the database).
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';

import pg from 'pg';

import { api, sql, startReplica } from './support/replica-processes.mjs';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 200_000);
const MESSAGES_EACH = Number(process.env.BENCH_MESSAGES_EACH ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const WRITES = Number(process.env.BENCH_WRITES ?? 2000);
const LIMIT = 50;
const RARE = 'zanzibar';
const COMMON = 'delivery';
const MID = 'porcelain';
const RATE_LIMITS = JSON.stringify({
  chat: { limit: 1_000_000, windowMs: 60_000 },
  visitorMessages: { limit: 1_000_000, windowMs: 60_000 },
  newVisitors: { limit: 1_000_000, windowMs: 60_000 },
  admin: { limit: 1_000_000, windowMs: 60_000 },
});
/** Indexes that serve the inbox's filters (their write cost is measured at the end). */
const INBOX_INDEXES = ['conversations_site_phase_activity_idx', 'conversations_site_lead_activity_idx'];

const p50 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(2)} ms`;

/** Keep-alive GET returning the parsed body (the client is the same for every case). */
function getter(port) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return (path, headers) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text))
            : reject(new Error(`GET ${path}: ${res.statusCode} ${text}`)),
        );
      });
      req.on('error', reject);
      req.end();
    });
}

/**
 * Visitors, one conversation each and `MESSAGES_EACH` messages per conversation, in slices of
 * 20,000 conversations, one statement a slice. Phases 70 / 25 / 5 %, one conversation in 12 a lead
 * (has an email), activity over 180 days; `delivery` in one message of 5,
 * `porcelain` in one of 100, `zanzibar` in one of 20,000.
 */
async function seed(db, siteId) {
  const SLICE = 20_000;
  for (let start = 0; start < CONVERSATIONS; start += SLICE) {
    const count = Math.min(SLICE, CONVERSATIONS - start);
    await db.query(
      `WITH g AS (SELECT n, gen_random_uuid() AS u FROM generate_series($2::int + 1, $2::int + $3::int) n),
       v AS (INSERT INTO visitors (site_id, visitor_uuid) SELECT $1, u FROM g RETURNING id, visitor_uuid),
       c AS (
         INSERT INTO conversations (site_id, visitor_id, status, phase, email, lead_status, entry_url,
                                    message_count, last_seq, last_message_at, last_message_preview,
                                    last_message_author, team_seen_seq, created_at)
         SELECT $1, v.id, CASE WHEN g.n % 10 = 0 THEN 'open' ELSE 'closed' END,
                CASE WHEN g.n % 20 = 0 THEN 'requesting_contact' WHEN g.n % 4 = 1 THEN 'learning'
                     ELSE 'exploring' END,
                CASE WHEN g.n % 12 = 0 THEN 'lead-' || g.n || '@example.com' END,
                CASE WHEN g.n % 12 = 0 THEN 'new' ELSE 'none' END,
                'https://bench.example/products/' || (g.n % 500),
                $4, $4, t.at, 'Thanks, that answers it.', 'assistant', $4, t.at - interval '1 hour'
           FROM v JOIN g ON g.u = v.visitor_uuid,
                LATERAL (SELECT date_trunc('milliseconds',
                           now() - make_interval(secs => (hashint4(g.n) & 2147483647) % 15552000)) AS at) t
         RETURNING id, last_message_at)
       INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body, created_at)
       SELECT c.id, $1, s, gen_random_uuid(), CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'assistant' END,
              (ARRAY['Do you ship mugs to Finland', 'How long do returns take for a cracked plate',
                     'Is the glaze lead free and dishwasher safe', 'When is the Helsinki store open',
                     'Can I change the colour of my order'])[1 + (hashint4(i) & 2147483647) % 5]
              || CASE WHEN (hashint4(i + 7) & 2147483647) % 5 = 0 THEN ' before the ${COMMON} date' ELSE '' END
              || CASE WHEN (hashint4(i + 13) & 2147483647) % 20000 = 0 THEN ' from ${RARE}' ELSE '' END
              || CASE WHEN (hashint4(i + 17) & 2147483647) % 100 = 0 THEN ' in ${MID}' ELSE '' END
              || '? Message ' || s,
              c.last_message_at - ($4 - s) * interval '1 minute'
         FROM c, generate_series(1, $4::int) s, LATERAL (SELECT hashtext(c.id::text) + s AS i) h`,
      [siteId, start, count, MESSAGES_EACH],
    );
  }
  await db.query('VACUUM ANALYZE visitors, conversations, messages');
}

/** The cursor the API would give for the row at `offset` (0-based) of the inbox filtered by `where`. */
async function cursorAt(db, siteId, offset, where = 'true') {
  const { rows } = await db.query(
    `SELECT last_message_at, id FROM conversations c WHERE site_id = $1 AND ${where}
      ORDER BY last_message_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [siteId, offset],
  );
  const row = rows[0];
  if (!row) return null;
  const cursor = Buffer.from(JSON.stringify([row.last_message_at.toISOString(), row.id])).toString(
    'base64url',
  );
  return { cursor, at: row.last_message_at, id: row.id };
}

/** What the repository runs for one page, as one SQL text (the database side of each case). */
const COLUMNS = `c.id, c.site_id, c.visitor_id, c.phase, c.status, c.email, c.lead_status, c.entry_url,
  c.locale, c.message_count, c.last_seq, c.last_message_at, c.last_message_preview,
  c.last_message_author, c.team_seen_seq, c.created_at`;
/** As in the repository (api/src/conversations/conversations.repository.ts). */
const SEARCH_FIRST_HITS = 2000;
const COMMON_WORD = 0.015;

/** The plan the repository picks for `q` from PostgreSQL's statistics (seed() ran ANALYZE). */
async function searchPlan(db, q) {
  const {
    rows: [row],
  } = await db.query(
    `SELECT s.most_common_elems::text::text[] AS words, s.most_common_elem_freqs AS shares,
            (SELECT reltuples::float8 FROM pg_class WHERE relname = 'messages') AS messages
       FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = 'messages_body_search_idx'`,
  );
  const frequencies = new Map(row.words.map((word, i) => [word, Number(row.shares[i])]));
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return 'index-first';
  const share = Math.min(...words.map((word) => frequencies.get(word) ?? 0), 1);
  if (share * row.messages <= SEARCH_FIRST_HITS) return 'index-first';
  return share >= COMMON_WORD ? 'activity' : 'index-then-activity';
}

/** A statement runner for one case: `db` → rows of the page. */
function pageSql({ where = [], params = [], q = null, plan = null }) {
  const conditions = ['c.site_id = $1', ...where];
  const page = (extra) =>
    `SELECT ${COLUMNS} FROM conversations c WHERE ${[...conditions, ...extra].join(' AND ')}
      ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${LIMIT + 1}`;
  if (q === null) return async (db, siteId) => (await db.query(page([]), [siteId, ...params])).rows;
  // The statement of the repository's plan for `q`.
  const p = `$${params.length + 2}`;
  const hits = `SELECT m.conversation_id FROM messages m WHERE m.site_id = $1
                   AND to_tsvector('simple', m.body) @@ plainto_tsquery('simple', ${p})`;
  const statement = {
    'index-first': page([
      `c.id IN (${hits} UNION ALL SELECT e.id FROM conversations e WHERE e.site_id = $1 AND e.email = lower(${p}))`,
    ]),
    'index-then-activity': page([`(c.id IN (${hits}) OR c.email = lower(${p}))`]),
    activity: `SELECT * FROM ((${page([`EXISTS (${hits} AND m.conversation_id = c.id)`])})
                UNION (${page([`c.email = lower(${p})`])})) c
                ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${LIMIT + 1}`,
  }[plan];
  return async (db, siteId) => (await db.query(statement, [siteId, ...params, q])).rows;
}

/**
 * Each case's HTTP request and its SQL, in rounds that visit every case in turn, so that a change
 * of load on the machine falls on all cases alike. Returns p50s and row counts per case.
 */
async function measure(cases, get, db, siteId, headers) {
  const http = cases.map(() => []);
  const direct = cases.map(() => []);
  const items = [];
  const rows = [];
  for (let round = -10; round < RUNS; round++) {
    for (const [i, { path, sql: run }] of cases.entries()) {
      let started = performance.now();
      const page = await get(path, headers);
      const httpMs = performance.now() - started;
      started = performance.now();
      const result = await run(db, siteId);
      const sqlMs = performance.now() - started;
      if (round < 0) continue; // warming up
      http[i].push(httpMs);
      direct[i].push(sqlMs);
      items[i] = page.items.length;
      rows[i] = Math.min(result.length, LIMIT);
    }
  }
  return cases.map((_, i) => ({ http: p50(http[i]), sql: p50(direct[i]), items: items[i], rows: rows[i] }));
}

/** The per-message conversation update of the append statement, on random conversations. */
async function timeWrites(db, siteId) {
  const { rows } = await db.query(
    `SELECT id FROM conversations WHERE site_id = $1 ORDER BY hashtext(id::text) LIMIT $2`,
    [siteId, WRITES],
  );
  // In one transaction: the commit's flush is the same with or without the indexes, and would hide them.
  await db.query('BEGIN');
  const started = performance.now();
  for (const { id } of rows) {
    await db.query(
      `UPDATE conversations c
          SET last_seq = c.last_seq + 1, message_count = c.message_count + 1,
              last_message_at = greatest(c.last_message_at, clock_timestamp()),
              last_message_preview = left($2, 200), last_message_author = 'visitor'
        WHERE c.id = $1`,
      [id, 'Do you ship to Finland?'],
    );
  }
  const elapsed = performance.now() - started;
  await db.query('COMMIT');
  return (elapsed * 1000) / rows.length;
}

const dbName = `cloop_bench_${randomBytes(6).toString('hex')}`;
const dbUrl = new URL(DATABASE_URL);
dbUrl.pathname = `/${dbName}`;
await sql(DATABASE_URL, `CREATE DATABASE ${dbName}`);
const db = new pg.Client({ connectionString: dbUrl.toString() });
let server = null;
try {
  server = await startReplica(
    {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: dbUrl.toString(),
      JWT_SECRET: randomBytes(36).toString('base64url'),
      AUDIT_KEY: randomBytes(36).toString('base64url'),
      LOG_LEVEL: 'warn',
      RATE_LIMITS,
    },
    { main: process.env.BENCH_APP },
  );
  await db.connect();
  const account = await api(server.base, '/api/v1/auth/signup', {
    method: 'POST',
    body: { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
  });
  const auth = { authorization: `Bearer ${account.accessToken}` };
  const me = await api(server.base, '/api/v1/auth/me', { headers: auth });
  const site = await api(server.base, '/api/v1/sites', {
    method: 'POST',
    headers: auth,
    body: { organizationId: me.organizations[0].id, name: 'Bench' },
  });

  const seeding = performance.now();
  await seed(db, site.id);
  const {
    rows: [sizes],
  } = await db.query(
    `SELECT (SELECT count(*) FROM conversations)::int AS conversations,
            (SELECT count(*) FROM messages)::int AS messages,
            (SELECT count(*) FROM messages WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', $1))::int AS rare,
            (SELECT count(*) FROM messages WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', $2))::int AS common,
            (SELECT count(*) FROM messages WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', $3))::int AS mid`,
    [RARE, COMMON, MID],
  );
  const present = (
    await db.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'conversations' AND indexname = ANY($1)`,
      [INBOX_INDEXES],
    )
  ).rows.map((row) => row.indexname);
  console.log(
    `${sizes.conversations} conversations, ${sizes.messages} messages (seeded in ${((performance.now() - seeding) / 1000).toFixed(0)} s); ` +
      `"${RARE}" in ${sizes.rare} messages, "${MID}" in ${sizes.mid}, "${COMMON}" in ${sizes.common}; inbox indexes present: ${present.join(', ') || 'none'}`,
  );

  const get = getter(server.port);
  const base = `/api/v1/sites/${site.id}/conversations`;
  const window = await db.query(
    `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY last_message_at) AS mid FROM conversations WHERE site_id = $1`,
    [site.id],
  );
  const to = window.rows[0].mid;
  const from = new Date(to.getTime() - 7 * 24 * 3600 * 1000);
  const leadEmail = (await db.query(`SELECT email FROM conversations WHERE email IS NOT NULL LIMIT 1`))
    .rows[0].email;

  const cases = [];
  for (const page of [1, 10, 100, 1000]) {
    const at = page === 1 ? null : await cursorAt(db, site.id, (page - 1) * LIMIT - 1);
    if (page > 1 && !at) continue;
    cases.push({
      name: `page ${page}`,
      query: at ? `cursor=${at.cursor}` : '',
      sql: pageSql(at ? { where: ['(c.last_message_at, c.id) < ($2, $3)'], params: [at.at, at.id] } : {}),
    });
  }
  cases.push(
    {
      name: 'phase=learning',
      query: 'phase=learning',
      sql: pageSql({ where: ['c.phase = $2'], params: ['learning'] }),
    },
    {
      name: 'phase=requesting_contact',
      query: 'phase=requesting_contact',
      sql: pageSql({ where: ['c.phase = $2'], params: ['requesting_contact'] }),
    },
    { name: 'lead=true', query: 'lead=true', sql: pageSql({ where: ['c.email IS NOT NULL'] }) },
    { name: 'lead=false', query: 'lead=false', sql: pageSql({ where: ['c.email IS NULL'] }) },
    {
      name: 'phase=requesting_contact&lead=true',
      query: 'phase=requesting_contact&lead=true',
      sql: pageSql({ where: ['c.phase = $2', 'c.email IS NOT NULL'], params: ['requesting_contact'] }),
    },
    {
      name: 'phase=learning&lead=false',
      query: 'phase=learning&lead=false',
      sql: pageSql({ where: ['c.phase = $2', 'c.email IS NULL'], params: ['learning'] }),
    },
    {
      name: 'from/to (one week)',
      query: `from=${from.toISOString()}&to=${to.toISOString()}`,
      sql: pageSql({ where: ['c.last_message_at >= $2', 'c.last_message_at <= $3'], params: [from, to] }),
    },
  );

  for (const [name, q] of [
    [`q=${RARE} (rare)`, RARE],
    [`q=${MID} (1 message in 100)`, MID],
    [`q=${COMMON} (common)`, COMMON],
    ['q=<a lead email>', leadEmail],
  ]) {
    const plan = await searchPlan(db, q);
    cases.push({ name: `${name} ${plan}`, query: `q=${encodeURIComponent(q)}`, sql: pageSql({ q, plan }) });
  }

  // Deep in a filtered inbox: page 20 of the rarest combination and of the leads.
  for (const [name, query, where] of [
    [
      'phase=requesting_contact&lead=true',
      'phase=requesting_contact&lead=true',
      ["c.phase = 'requesting_contact'", 'c.email IS NOT NULL'],
    ],
    ['lead=true', 'lead=true', ['c.email IS NOT NULL']],
  ]) {
    const at = await cursorAt(db, site.id, 19 * LIMIT - 1, where.join(' AND '));
    if (!at) continue;
    cases.push({
      name: `${name}, page 20`,
      query: `${query}&cursor=${at.cursor}`,
      sql: pageSql({ where: [...where, '(c.last_message_at, c.id) < ($2, $3)'], params: [at.at, at.id] }),
    });
  }

  for (const entry of cases) entry.path = `${base}?limit=${LIMIT}${entry.query ? `&${entry.query}` : ''}`;
  const results = await measure(cases, get, db, site.id, auth);
  console.log(`p50 of ${RUNS} rounds, each case once a round (limit ${LIMIT}):`);
  console.log(
    `${'case'.padEnd(52)} ${'HTTP'.padStart(10)} ${'same SQL'.padStart(10)} ${'ratio'.padStart(7)}  rows`,
  );
  for (const [i, { name }] of cases.entries()) {
    const { http, sql: direct, items, rows } = results[i];
    const flag = items === rows ? '' : ` (SQL ${rows})`;
    console.log(
      `${name.padEnd(52)} ${ms(http).padStart(10)} ${ms(direct).padStart(10)} ${`${(http / direct).toFixed(1)}×`.padStart(7)}  ${items}${flag}`,
    );
  }

  // The write cost: the same update with the inbox indexes and without them, interleaved rounds.
  if (present.length > 0) {
    const definitions = (
      await db.query(`SELECT indexdef FROM pg_indexes WHERE indexname = ANY($1)`, [present])
    ).rows.map((row) => row.indexdef);
    const withIndexes = [];
    const without = [];
    const drop = async () => {
      for (const name of present) await db.query(`DROP INDEX ${name}`);
    };
    const create = async () => {
      for (const definition of definitions) await db.query(definition);
    };
    // Rounds in the order with, without, without, with (twice), so that warming up favours neither.
    for (let round = 0; round < 2; round++) {
      withIndexes.push(await timeWrites(db, site.id));
      await drop();
      without.push(await timeWrites(db, site.id), await timeWrites(db, site.id));
      await create();
      withIndexes.push(await timeWrites(db, site.id));
    }
    const a = p50(withIndexes);
    const b = p50(without);
    console.log(
      `per-message conversation update (${WRITES} random conversations in one transaction, median of 4 rounds): ` +
        `${a.toFixed(0)} µs with the inbox indexes, ${b.toFixed(0)} µs without (${(a / b).toFixed(2)}×)`,
    );
  }
} finally {
  await db.end().catch(() => undefined);
  if (server) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  if (process.env.BENCH_KEEP) console.log(`kept the database ${dbName} (BENCH_KEEP)`);
  else await sql(DATABASE_URL, `DROP DATABASE ${dbName} WITH (FORCE)`);
}
