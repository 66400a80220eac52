// The heavy visitor of bench/privacy.mjs: the built server as its own process on a scratch
// PostgreSQL database, so that its RSS is the server's alone; data made by generate_series.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import pg from 'pg';

import { api, sql, startReplica } from './replica-processes.mjs';

const ORIGIN = 'https://bench.example';
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** The process's resident set, from /proc (Linux). */
function rssOf(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Runs `work` while sampling the server's RSS every 10 ms; returns its result, RSS before and peak. */
async function withRss(pid, work) {
  const before = rssOf(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  try {
    const result = await work();
    peak = Math.max(peak, rssOf(pid));
    return { result, before, peak };
  } finally {
    clearInterval(sampler);
  }
}

/** Newlines in a chunk, counted natively (a byte loop in JS would cost the client more than psql). */
function newlines(chunk) {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count += 1;
  return count;
}

/** Reads a response to its end, counting bytes and lines, holding nothing. */
async function drain(response) {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    lines += newlines(chunk);
  }
  return { bytes, lines };
}

/** `conversations` × `messages` for one new visitor of the site; returns its visitor UUID. */
async function seedVisitor(db, siteId, conversations, messages) {
  const visitorUuid = randomUUID();
  await db.query(
    `WITH v AS (INSERT INTO visitors (site_id, visitor_uuid) VALUES ($1, $2) RETURNING id),
          c AS (INSERT INTO conversations (site_id, visitor_id, status, message_count, last_seq)
                SELECT $1, v.id, 'closed', $4, $4 FROM v, generate_series(1, $3) RETURNING id)
     INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
     SELECT c.id, $1, s, gen_random_uuid(), CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'assistant' END,
            'Message ' || s || ': do you ship to Finland, and how long do returns take?'
       FROM c, generate_series(1, $4) AS s`,
    [siteId, visitorUuid, conversations, messages],
  );
  return visitorUuid;
}

/** `visitors` more visitors of the site, each with one conversation of `messages` messages. */
async function seedCrowd(db, siteId, visitors, messages) {
  await db.query(
    `WITH v AS (INSERT INTO visitors (site_id, visitor_uuid)
                SELECT $1, gen_random_uuid() FROM generate_series(1, $2) RETURNING id),
          c AS (INSERT INTO conversations (site_id, visitor_id, status, message_count, last_seq)
                SELECT $1, v.id, 'closed', $3, $3 FROM v RETURNING id)
     INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
     SELECT c.id, $1, s, gen_random_uuid(), CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'assistant' END,
            'Message ' || s || ': what are your opening hours on Saturdays?'
       FROM c, generate_series(1, $3) AS s`,
    [siteId, visitors, messages],
  );
}

/** `psql \copy` of the rows the site-wide export holds (same tables, columns, rows), to nowhere. */
function psqlCopy(url, siteId) {
  const queries = [
    `SELECT id, last_seen_at, created_at FROM visitors WHERE site_id = '${siteId}' ORDER BY id`,
    `SELECT id, visitor_id, phase, status, email, lead_status, entry_url, locale, message_count,
            last_message_at, visitor_seen_seq, created_at FROM conversations WHERE site_id = '${siteId}' ORDER BY id`,
    `SELECT id, conversation_id, seq, author, body, citations, confidence, created_at
       FROM messages WHERE site_id = '${siteId}' ORDER BY conversation_id, seq`,
  ];
  const args = [
    url,
    '-X',
    '-q',
    ...queries.flatMap((query) => ['-c', `\\copy (${query.replace(/\s+/g, ' ')}) TO STDOUT`]),
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('psql', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      lines += newlines(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, bytes, lines })
        : reject(new Error(`psql exited ${code}`)),
    );
  });
}

/**
 * A visitor with `conversations` × `messages` (1,000 × 100 by default) among a crowd on the same
 * site: their export's time and the server's RSS growth, the site-wide export beside `psql \copy`
 * of the same rows (interleaved runs), and the visitor's erasure.
 */
export async function heavyVisitorBench(adminUrl, { conversations, messages, crowd, runs }) {
  const dbName = `cloop_bench_${randomBytes(6).toString('hex')}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  await sql(adminUrl, `CREATE DATABASE ${dbName}`);
  let server = null;
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  try {
    server = await startReplica({
      PATH: process.env.PATH ?? '',
      DATABASE_URL: dbUrl.toString(),
      JWT_SECRET: randomBytes(36).toString('base64url'),
      AUDIT_KEY: randomBytes(36).toString('base64url'),
      LOG_LEVEL: 'warn',
    });
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
      body: { organizationId: me.organizations[0].id, name: 'Bench', allowedOrigins: [ORIGIN] },
    });

    const seeding = performance.now();
    const small = await seedVisitor(db, site.id, 10, messages);
    const medium = await seedVisitor(db, site.id, 100, messages);
    const heavy = await seedVisitor(db, site.id, conversations, messages);
    for (let done = 0; done < crowd.visitors; done += 10_000) {
      await seedCrowd(db, site.id, Math.min(10_000, crowd.visitors - done), crowd.messages);
    }
    await db.query('ANALYZE');
    const {
      rows: [totals],
    } = await db.query(
      `SELECT (SELECT count(*) FROM visitors WHERE site_id = $1)::int AS visitors,
              (SELECT count(*) FROM conversations WHERE site_id = $1)::int AS conversations,
              (SELECT count(*) FROM messages WHERE site_id = $1)::int AS messages`,
      [site.id],
    );
    console.log(
      `heavy visitor: site of ${totals.visitors} visitors, ${totals.conversations} conversations, ` +
        `${totals.messages} messages (seeded in ${seconds(performance.now() - seeding)}); server pid ${server.child.pid}`,
    );

    const exportVisitor = (visitorId) =>
      fetch(`${server.base}/api/v1/sites/${site.id}/privacy/exports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ visitorId }),
      }).then(drain);
    for (const [label, visitorId] of [
      [`10 × ${messages}`, small],
      [`100 × ${messages}`, medium],
      [`${conversations} × ${messages}`, heavy],
    ]) {
      const started = performance.now();
      const { result, before, peak } = await withRss(server.child.pid, () => exportVisitor(visitorId));
      console.log(
        `  export of one visitor, ${label}: ${seconds(performance.now() - started)}, ${mb(result.bytes)} of JSON; ` +
          `server RSS ${mb(before)} → peak ${mb(peak)} (+${mb(peak - before)})`,
      );
    }

    const exportSite = () =>
      fetch(`${server.base}/api/v1/sites/${site.id}/privacy/export`, { headers: auth }).then(drain);
    const rows = totals.visitors + totals.conversations + totals.messages;
    const exportTimes = [];
    const copyTimes = [];
    for (let run = 1; run <= runs; run += 1) {
      const copy = await psqlCopy(dbUrl.toString(), site.id);
      copyTimes.push(copy.ms);
      const started = performance.now();
      const { result, before, peak } = await withRss(server.child.pid, exportSite);
      const ms = performance.now() - started;
      exportTimes.push(ms);
      console.log(
        `  run ${run}: psql \\copy ${copy.lines} rows in ${seconds(copy.ms)} (${mb(copy.bytes)}); ` +
          `site-wide export ${rows} rows in ${seconds(ms)} (${result.lines} lines, ${mb(result.bytes)} NDJSON), ` +
          `server RSS +${mb(peak - before)}`,
      );
    }
    const best = (times) => Math.min(...times);
    console.log(
      `  site-wide export: ${Math.round(rows / (best(exportTimes) / 1000))} rows/s; psql \\copy ` +
        `${Math.round(rows / (best(copyTimes) / 1000))} rows/s; ratio ${(best(copyTimes) / best(exportTimes)).toFixed(2)}× (best of ${runs})`,
    );

    const erasing = performance.now();
    const erased = await api(server.base, `/api/v1/sites/${site.id}/privacy/erasures`, {
      method: 'POST',
      headers: auth,
      body: { visitorId: heavy },
    });
    console.log(
      `  erasure of the ${conversations} × ${messages} visitor (one transaction, with the audit event): ` +
        `${seconds(performance.now() - erasing)} ${JSON.stringify(erased.deleted)}`,
    );
  } finally {
    await db.end().catch(() => {});
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await sql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}
