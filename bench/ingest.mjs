// Widget message ingest against a bare baseline, in interleaved runs on the same PostgreSQL:
//   bare      node:http + one parameterised INSERT via pg.Pool (the app's pool size) into a table
//             with the messages table's columns and indexes (bench/support/bare-ingest-server.mjs)
//   off       POST /api/v1/widget/messages with the assistant off: Cloop has no site setting for
//             that; the assistant stays out of a conversation once a person of the team has
//             replied, so each conversation gets an agent reply before the run
//   on        the same with the retrieval assistant answering from a little knowledge content;
//             measured to the last stored assistant reply, with the reply lag printed
// and the same two Cloop runs on embedded PGlite (its own process and data directory), compared
// with the PostgreSQL baseline. Prints msg/s, p50/p99 and ratios; never fails on time. Not CI.
// Run after building the API (`npx nx run api:compile`):
//   node bench/ingest.mjs
// Settings: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a scratch database is
// created in it and dropped), BENCH_CONCURRENCY (16,32), BENCH_ROUNDS (2), BENCH_MESSAGES (1200
// per PostgreSQL run), BENCH_PGLITE_MESSAGES (400; 0 skips PGlite), BENCH_ASSISTANT (off,on; one of
// them to measure only it, e.g. under a profiler), BENCH_APP (the built main.js, e.g. of another
// branch, to measure before and after).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { jsonClient } from './support/json-client.mjs';
import { startNodeChild } from './support/node-child.mjs';
import { sql } from './support/replica-processes.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '16,32').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1200);
const PGLITE_MESSAGES = Number(process.env.BENCH_PGLITE_MESSAGES ?? 400);
const ASSISTANT = new Set((process.env.BENCH_ASSISTANT ?? 'off,on').split(','));
const MAIN = process.env.BENCH_APP ?? join(import.meta.dirname, '..', 'dist', 'api', 'api', 'src', 'main.js');
/** The app's pool size (api/src/database/data-source.ts): the baseline gets the same. */
const POOL_SIZE = 10;
/** Messages per visitor in a run: well under the per-visitor limit, should RATE_LIMITS not apply. */
const PER_VISITOR = 5;
const ORIGIN = 'https://bench.example';
const RATE_LIMITS = JSON.stringify({
  chat: { limit: 1_000_000, windowMs: 60_000 },
  visitorMessages: { limit: 1_000_000, windowMs: 60_000 },
  newVisitors: { limit: 1_000_000, windowMs: 60_000 },
  admin: { limit: 1_000_000, windowMs: 60_000 },
});
const KNOWLEDGE = `# Shipping and returns
We ship every order within two working days. Delivery to Finland takes three to five days.
Returns are free within 30 days: send the mug back in its box and we refund the price.

# Care
Our ceramic mugs are dishwasher safe. The glaze is lead free. Do not put them in the microwave
when they have a gold rim.

# Opening hours
The store in Helsinki is open from 10 to 18 on weekdays and from 11 to 16 on Saturdays.
`;
const QUESTIONS = [
  'How long does delivery to Finland take?',
  'Can I return a mug?',
  'Is the mug dishwasher safe?',
  'When is the store open on Saturday?',
  'Do you refund the price?',
];

let ipCounter = 0;
/** A distinct client address per visitor (only a header: TRUST_PROXY=1), as real visitors have. */
const nextIp = () => {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

const children = [];
const cleanups = [];

async function startCloop(label, env) {
  const port = 4100 + children.length;
  const child = startNodeChild(children, [MAIN], {
    PORT: String(port),
    LOG_LEVEL: 'warn',
    TRUST_PROXY: '1',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_KEY: randomBytes(32).toString('base64url'),
    RATE_LIMITS,
    ...env,
  });
  child.stdout.resume();
  const call = jsonClient(port, 64);
  for (let tries = 0; ; tries++) {
    try {
      await call('GET', '/api/health');
      break;
    } catch (error) {
      if (tries > 600 || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const admin = { 'x-forwarded-for': nextIp() };
  const owner = await call(
    'POST',
    '/api/v1/auth/signup',
    { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
    admin,
  );
  const auth = { ...admin, authorization: `Bearer ${owner.accessToken}` };
  const me = await call('GET', '/api/v1/auth/me', undefined, auth);
  return { label, port, call, auth, organizationId: me.organizations[0].id };
}

/** A fresh site per run, so its conversations are only the run's; with the knowledge uploaded. */
async function newSite(app) {
  const site = await app.call(
    'POST',
    '/api/v1/sites',
    { organizationId: app.organizationId, name: 'Bench', allowedOrigins: [ORIGIN] },
    app.auth,
  );
  const form = new FormData();
  form.append('file', new Blob([KNOWLEDGE], { type: 'text/markdown' }), 'shop.md');
  const response = await fetch(`http://127.0.0.1:${app.port}/api/v1/sites/${site.id}/knowledge/uploads`, {
    method: 'POST',
    headers: app.auth,
    body: form,
  });
  if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
  return site;
}

/** Runs `count` tasks with `concurrency` in flight; returns each task's latency in ms. */
async function drive(count, concurrency, task) {
  const latencies = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await task(i);
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function bareRun(bare, concurrency, count) {
  const conversations = Array.from({ length: Math.ceil(count / PER_VISITOR) }, () => ({
    id: randomUUID(),
    seq: 0,
  }));
  const siteId = randomUUID();
  const run = await drive(count, concurrency, (i) => {
    const conversation = conversations[i % conversations.length];
    conversation.seq += 1;
    return bare.call('POST', '/messages', {
      conversationId: conversation.id,
      siteId,
      seq: conversation.seq,
      id: randomUUID(),
      body: QUESTIONS[i % QUESTIONS.length],
    });
  });
  return { ...run, count };
}

async function cloopRun(app, concurrency, count, assistant) {
  const site = await newSite(app);
  const visitors = Array.from({ length: Math.ceil(count / PER_VISITOR) }, () => ({
    headers: {
      'x-cloop-site-key': site.publicKey,
      'x-cloop-visitor': randomUUID(),
      origin: ORIGIN,
      'x-forwarded-for': nextIp(),
    },
  }));
  // Not measured: the sessions, and with the assistant off, a person's reply in each conversation.
  await drive(visitors.length, concurrency, async (i) => {
    const visitor = visitors[i];
    const session = await app.call(
      'POST',
      '/api/v1/widget/session',
      { entryUrl: `${ORIGIN}/` },
      visitor.headers,
    );
    visitor.conversationId = session.conversation.id;
    if (!assistant) {
      await app.call(
        'POST',
        `/api/v1/sites/${site.id}/conversations/${visitor.conversationId}/messages`,
        { id: randomUUID(), body: 'Hello, a person here.' },
        { ...app.auth, 'x-forwarded-for': nextIp() },
      );
    }
  });
  const wallStart = Date.now();
  // Message i goes to visitor i % visitors: a visitor's next message only after `visitors` others.
  const run = await drive(count, concurrency, (i) =>
    app.call(
      'POST',
      '/api/v1/widget/messages',
      { id: randomUUID(), body: QUESTIONS[i % QUESTIONS.length] },
      visitors[i % visitors.length].headers,
    ),
  );
  const result = { ...run, count };
  if (!assistant) return result;

  // Wait for the answers: the inbox's message counts reach 2 per visitor message, or stop growing.
  const expected = count * 2;
  let stored = 0;
  let lastGrowth = Date.now();
  while (stored < expected && Date.now() - lastGrowth < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = await countMessages(app, site.id);
    if (now > stored) lastGrowth = Date.now();
    stored = now;
  }
  const lags = [];
  let lastReplyAt = 0;
  let replies = 0;
  await drive(visitors.length, 8, async (i) => {
    const { items } = await app.call(
      'GET',
      '/api/v1/widget/messages?after=0',
      undefined,
      visitors[i].headers,
    );
    const asked = items.filter((m) => m.author === 'visitor');
    const answered = items.filter((m) => m.author === 'assistant');
    replies += answered.length;
    answered.forEach((answer, k) => {
      const at = Date.parse(answer.createdAt);
      lastReplyAt = Math.max(lastReplyAt, at);
      if (asked[k]) lags.push(at - Date.parse(asked[k].createdAt));
    });
  });
  return {
    ...result,
    replies,
    lags,
    replySeconds: (lastReplyAt - wallStart) / 1000,
  };
}

async function countMessages(app, siteId) {
  let total = 0;
  let cursor = null;
  do {
    const page = await app.call(
      'GET',
      `/api/v1/sites/${siteId}/conversations?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      { ...app.auth, 'x-forwarded-for': nextIp() },
    );
    for (const conversation of page.items) total += conversation.messageCount;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const rate = (run) => run.count / run.seconds;

/** Sums runs of one kind: total messages over total time, latencies pooled. */
function combine(runs) {
  const sum = (key) => runs.reduce((total, run) => total + (run[key] ?? 0), 0);
  return {
    count: sum('count'),
    seconds: sum('seconds'),
    latencies: runs.flatMap((run) => run.latencies),
    replies: sum('replies'),
    replySeconds: sum('replySeconds'),
    lags: runs.flatMap((run) => run.lags ?? []),
  };
}

let scratch = null;
const dataDir = mkdtempSync(join(tmpdir(), 'cloop-ingest-'));
try {
  // No connection held for the whole run: on a shared server another test may end idle ones.
  const name = `cloop_ingest_${randomBytes(4).toString('hex')}`;
  await sql(DATABASE_URL, `CREATE DATABASE ${name}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  scratch = { name };

  const pg = await startCloop('PostgreSQL', { DATABASE_URL: url.toString() });
  // The baseline's table: the messages table's columns and indexes (not its foreign keys), in its
  // own schema of the same scratch database.
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  await db.query('CREATE SCHEMA bench_bare');
  await db.query('CREATE TABLE bench_bare.messages (LIKE public.messages INCLUDING ALL)');
  await db.end();
  const bareChild = startNodeChild(
    children,
    [join(import.meta.dirname, 'support', 'bare-ingest-server.mjs')],
    {
      DATABASE_URL: url.toString(),
      BARE_TABLE: 'bench_bare.messages',
      BARE_POOL: String(POOL_SIZE),
    },
  );
  const barePort = Number(
    await new Promise((resolve) => createInterface({ input: bareChild.stdout }).once('line', resolve)),
  );
  const bare = { call: jsonClient(barePort, 64) };
  const pglite = PGLITE_MESSAGES > 0 ? await startCloop('PGlite', { DATA_DIR: dataDir }) : null;

  console.log(
    `ingest bench: ${process.env.BENCH_APP ? 'build ' + MAIN : 'this build'}; ` +
      `${ROUNDS} interleaved rounds, ${MESSAGES} messages per PostgreSQL run, ${PGLITE_MESSAGES} per PGlite run, pool ${POOL_SIZE}`,
  );
  for (const concurrency of CONCURRENCY) {
    const runs = { bare: [], off: [], on: [], pgliteOff: [], pgliteOn: [] };
    // Warm-up (JIT, caches, first connections): not counted.
    await bareRun(bare, concurrency, 200);
    await cloopRun(pg, concurrency, 100, false);
    for (let round = 0; round < ROUNDS; round++) {
      runs.bare.push(await bareRun(bare, concurrency, MESSAGES));
      if (ASSISTANT.has('off')) runs.off.push(await cloopRun(pg, concurrency, MESSAGES, false));
      if (ASSISTANT.has('on')) runs.on.push(await cloopRun(pg, concurrency, MESSAGES, true));
      if (pglite && ASSISTANT.has('off'))
        runs.pgliteOff.push(await cloopRun(pglite, concurrency, PGLITE_MESSAGES, false));
      if (pglite && ASSISTANT.has('on'))
        runs.pgliteOn.push(await cloopRun(pglite, concurrency, PGLITE_MESSAGES, true));
      const line = (label, run) =>
        run &&
        `${label} ${rate(run).toFixed(0)} msg/s` +
          (run.replySeconds ? ` (${(run.count / run.replySeconds).toFixed(0)} to last reply)` : '');
      console.log(
        `  c=${concurrency} round ${round + 1}: ` +
          [line('bare', runs.bare.at(-1)), line('off', runs.off.at(-1)), line('on', runs.on.at(-1))]
            .concat(
              pglite
                ? [line('PGlite off', runs.pgliteOff.at(-1)), line('PGlite on', runs.pgliteOn.at(-1))]
                : [],
            )
            .filter(Boolean)
            .join(' · '),
      );
    }
    const base = combine(runs.bare);
    const baseRate = rate(base);
    const baseP99 = quantile(base.latencies, 0.99);
    const report = (label, run) => {
      const acked = rate(run);
      const p50 = quantile(run.latencies, 0.5);
      const p99 = quantile(run.latencies, 0.99);
      let text =
        `  ${label.padEnd(26)} ${acked.toFixed(0).padStart(6)} msg/s  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms` +
        `  ratio ${(acked / baseRate).toFixed(2)}×  p99 ${(p99 / baseP99).toFixed(1)}× baseline`;
      if (run.replySeconds) {
        const toReply = run.count / run.replySeconds;
        text +=
          `\n  ${''.padEnd(26)} to the last stored reply: ${toReply.toFixed(0)} msg/s (ratio ${(toReply / baseRate).toFixed(2)}×),` +
          ` ${run.replies}/${run.count} answered, reply lag p50 ${quantile(run.lags, 0.5).toFixed(0)} ms p99 ${quantile(run.lags, 0.99).toFixed(0)} ms`;
      }
      console.log(text);
    };
    console.log(`${concurrency} concurrent connections:`);
    console.log(
      `  ${'bare node:http + INSERT'.padEnd(26)} ${baseRate.toFixed(0).padStart(6)} msg/s  p50 ${quantile(base.latencies, 0.5).toFixed(1)} ms  p99 ${baseP99.toFixed(1)} ms`,
    );
    if (runs.off.length) report('Cloop PostgreSQL, off', combine(runs.off));
    if (runs.on.length) report('Cloop PostgreSQL, on', combine(runs.on));
    if (runs.pgliteOff.length) report('Cloop PGlite, off', combine(runs.pgliteOff));
    if (runs.pgliteOn.length) report('Cloop PGlite, on', combine(runs.pgliteOn));
  }
  console.log(
    '(ratios are to the PostgreSQL baseline of the same rounds; the machine may be shared: read ratios, not absolutes)',
  );
} finally {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  for (const cleanup of cleanups) await cleanup();
  if (scratch) {
    await sql(DATABASE_URL, `DROP DATABASE IF EXISTS ${scratch.name} WITH (FORCE)`);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
