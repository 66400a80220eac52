// Latency from a visitor's POST /api/v1/widget/messages to a console socket receiving the
// message.created event, as p50/p95/p99 over many messages, beside a bare baseline in the same
// run: node:http + one INSERT via pg.Pool + a `ws` send to a connected socket
// (bench/support/bare-realtime-server.mjs), on the same PostgreSQL, rounds interleaved. Both are
// measured with the in-process bus and, when Redis answers, through Redis (the baseline then
// publishes the row on a Redis channel and its subscriber sends it). Prints figures and the ratio;
// never fails on time. Not CI.
// Run after `npx nx run api:build`: `node bench/realtime-latency.mjs`
// Settings: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a scratch database is
// created in it and dropped), REDIS_URL (default redis://127.0.0.1:6379; BENCH_REDIS=0 skips the
// Redis half), BENCH_ROUNDS (3), BENCH_MESSAGES (200 per run), BENCH_APP (another build's main.js).
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { WebSocket } from 'ws';

import { jsonClient } from './support/json-client.mjs';
import { startNodeChild } from './support/node-child.mjs';
import { freePort, sql } from './support/replica-processes.mjs';

const require = createRequire(import.meta.url);
const { Redis } = require('ioredis');

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const MESSAGES_PER_VISITOR = 10;
const MAIN = process.env.BENCH_APP ?? join(import.meta.dirname, '..', 'dist', 'api', 'api', 'src', 'main.js');
/** The app's pool size (api/src/database/data-source.ts): the baseline gets the same. */
const POOL_SIZE = 10;
const ORIGIN = 'https://bench.example';

const children = [];

/** A socket that resolves the waiter of each message.created frame by its client message id. */
async function listen(url, firstFrames = []) {
  const socket = new WebSocket(url);
  const waiting = new Map();
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type !== 'message.created') return;
    waiting.get(frame.message.clientMessageId)?.(performance.now());
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  for (const frame of firstFrames) socket.send(JSON.stringify(frame));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { socket, arrival: (id) => new Promise((resolve) => waiting.set(id, resolve)) };
}

async function startCloop(databaseUrl, redisUrl) {
  const port = await freePort();
  const child = startNodeChild(children, [MAIN], {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    LOG_LEVEL: 'warn',
    // Each simulated visitor comes from its own address, as real ones do.
    TRUST_PROXY: '1',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_KEY: randomBytes(32).toString('base64url'),
  });
  child.stdout.resume();
  const call = jsonClient(port, 1);
  for (let tries = 0; ; tries++) {
    try {
      await call('GET', '/api/health');
      break;
    } catch (error) {
      if (tries > 600 || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const admin = { 'x-forwarded-for': '203.0.113.1' };
  const owner = await call(
    'POST',
    '/api/v1/auth/signup',
    { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
    admin,
  );
  const auth = { ...admin, authorization: `Bearer ${owner.accessToken}` };
  const me = await call('GET', '/api/v1/auth/me', undefined, auth);
  const site = await call(
    'POST',
    '/api/v1/sites',
    { organizationId: me.organizations[0].id, name: 'Bench', allowedOrigins: [ORIGIN] },
    auth,
  );
  const listener = await listen(`ws://127.0.0.1:${port}/api/v1/realtime`, [
    { type: 'auth', accessToken: owner.accessToken },
    { type: 'subscribe', siteId: site.id },
  ]);
  let visitorCount = 0;
  return {
    listener,
    /** One run: `count` messages, one at a time, 10 per visitor, each timed to its socket frame. */
    async run(count) {
      const latencies = [];
      let headers;
      for (let m = 0; m < count; m++) {
        if (m % MESSAGES_PER_VISITOR === 0) {
          visitorCount += 1;
          headers = {
            'x-cloop-site-key': site.publicKey,
            'x-cloop-visitor': randomUUID(),
            origin: ORIGIN,
            'x-forwarded-for': `198.51.${(visitorCount >> 8) & 255}.${visitorCount & 255}`,
          };
          await call('POST', '/api/v1/widget/session', { entryUrl: `${ORIGIN}/` }, headers);
        }
        const id = randomUUID();
        const arrived = listener.arrival(id);
        const started = performance.now();
        await call('POST', '/api/v1/widget/messages', { id, body: `Question ${m}` }, headers);
        latencies.push((await arrived) - started);
      }
      return latencies;
    },
  };
}

async function startBare(databaseUrl, redisUrl) {
  const child = startNodeChild(children, [join(import.meta.dirname, 'support', 'bare-realtime-server.mjs')], {
    DATABASE_URL: databaseUrl,
    BARE_TABLE: 'bench_bare.messages',
    BARE_POOL: String(POOL_SIZE),
    REDIS_URL: redisUrl ?? '',
  });
  const port = Number(
    await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
  );
  const call = jsonClient(port, 1);
  const listener = await listen(`ws://127.0.0.1:${port}/socket`);
  const siteId = randomUUID();
  return {
    listener,
    async run(count) {
      const latencies = [];
      let conversation;
      for (let m = 0; m < count; m++) {
        if (m % MESSAGES_PER_VISITOR === 0) conversation = { id: randomUUID(), seq: 0 };
        conversation.seq += 1;
        const id = randomUUID();
        const arrived = listener.arrival(id);
        const started = performance.now();
        await call('POST', '/messages', {
          conversationId: conversation.id,
          siteId,
          seq: conversation.seq,
          id,
          body: `Question ${m}`,
        });
        latencies.push((await arrived) - started);
      }
      return latencies;
    },
  };
}

async function redisAnswers() {
  if (process.env.BENCH_REDIS === '0') return false;
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const figures = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1),
  };
};
const line = (label, f) =>
  `  ${label.padEnd(34)} p50 ${f.p50.toFixed(1).padStart(5)} ms  p95 ${f.p95.toFixed(1).padStart(5)} ms  p99 ${f.p99.toFixed(1).padStart(5)} ms  max ${f.max.toFixed(1)} ms`;

const name = `cloop_realtime_${randomBytes(4).toString('hex')}`;
const url = new URL(DATABASE_URL);
url.pathname = `/${name}`;
let created = false;
try {
  await sql(DATABASE_URL, `CREATE DATABASE ${name}`);
  created = true;
  const buses = [{ label: 'in-process bus', redis: null }];
  if (await redisAnswers()) buses.push({ label: 'Redis', redis: REDIS_URL });

  const setups = [];
  for (const bus of buses) {
    const cloop = await startCloop(url.toString(), bus.redis);
    if (setups.length === 0) {
      // The baseline's table: the messages table's columns and indexes (not its foreign keys).
      await sql(url.toString(), 'CREATE SCHEMA bench_bare');
      await sql(url.toString(), 'CREATE TABLE bench_bare.messages (LIKE public.messages INCLUDING ALL)');
    }
    const bare = await startBare(url.toString(), bus.redis);
    setups.push({ ...bus, cloop, bare, cloopLatencies: [], bareLatencies: [] });
  }
  console.log(
    `realtime latency bench: ${process.env.BENCH_APP ? 'build ' + MAIN : 'this build'}; PostgreSQL; ` +
      `${ROUNDS} interleaved rounds of ${MESSAGES} messages, one at a time`,
  );
  // Warm-up (JIT, caches, first connections): not counted.
  for (const setup of setups) {
    await setup.bare.run(50);
    await setup.cloop.run(50);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const setup of setups) {
      setup.bareLatencies.push(...(await setup.bare.run(MESSAGES)));
      setup.cloopLatencies.push(...(await setup.cloop.run(MESSAGES)));
    }
  }
  for (const setup of setups) {
    const bare = figures(setup.bareLatencies);
    const cloop = figures(setup.cloopLatencies);
    console.log(
      `visitor POST → console socket, ${setup.label} (${setup.cloopLatencies.length} messages each):`,
    );
    console.log(line('bare node:http + INSERT + ws send', bare));
    console.log(line('Cloop', cloop));
    console.log(
      `  ratio: p50 ${(cloop.p50 / bare.p50).toFixed(1)}×, p99 ${(cloop.p99 / bare.p99).toFixed(1)}× the baseline`,
    );
  }
  if (setups.length === 2) {
    const [local, redis] = setups.map((setup) => figures(setup.cloopLatencies).p50);
    console.log(`Redis adds ${(redis - local).toFixed(1)} ms at p50 to Cloop`);
  } else {
    console.log('(Redis did not answer at ' + REDIS_URL + ': in-process bus only)');
  }
  console.log('(the machine may be shared: read ratios, not absolutes)');
  for (const setup of setups) {
    setup.cloop.listener.socket.close();
    setup.bare.listener.socket.close();
  }
} finally {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  if (created) await sql(DATABASE_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
