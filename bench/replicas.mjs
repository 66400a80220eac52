// Replicas on one PostgreSQL and one Redis: requests per second served by 1 and by 2 processes (a
// cheap authenticated GET, /api/v1/auth/me, spread round-robin as a load balancer would), and the
// cross-replica event latency (a visitor message POSTed to replica A → `message.created` on a console
// socket connected to replica B), p50/p99. Prints figures; never fails on time.
// Run after `npm run build`, with PostgreSQL and Redis up:
//   node bench/replicas.mjs        (BENCH_SECONDS=10, BENCH_CONCURRENCY=32, BENCH_MESSAGES=200)
// DATABASE_URL (a server where it may create and drop a scratch database) and REDIS_URL default to
// this machine's (postgres://postgres@127.0.0.1:5432/test, redis://127.0.0.1:6379).
// The load generator shares the machine with the replicas, PostgreSQL and Redis: on 2 cores the
// second replica has little spare CPU to use, so read the figures as "what shared state costs",
// not as a scaling curve.
import { randomBytes, randomUUID } from 'node:crypto';

import { WebSocket } from 'ws';

import { api, sql, startReplica as startAt } from './support/replica-processes.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const ORIGIN = 'https://bench.example';
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const dbName = `cloop_bench_${randomBytes(6).toString('hex')}`;
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const env = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL: redisUrl,
  JWT_SECRET: randomBytes(36).toString('base64url'),
  AUDIT_KEY: randomBytes(36).toString('base64url'),
  LOG_LEVEL: 'warn',
  // Each simulated client comes from its own address (X-Forwarded-For), as real ones do: the
  // per-address rate limits stay out of the way, while every request still counts in Redis.
  TRUST_PROXY: '1',
};

const replicas = [];
async function startReplica() {
  const replica = await startAt(env);
  replicas.push(replica);
  return replica;
}

let clientNumber = 0;
/** A benchmark-range address (RFC 2544, 198.18.0.0/15): a header value only, never a destination. */
const nextClientAddress = () => {
  clientNumber = (clientNumber + 1) % 65_000;
  return `198.18.${Math.floor(clientNumber / 250)}.${(clientNumber % 250) + 1}`;
};

/** `CONCURRENCY` loops of GET /auth/me for `seconds`, round-robin over `targets`; counts per target. */
async function throughput(targets, auth, seconds = SECONDS) {
  const served = targets.map(() => 0);
  let failures = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const index = next++ % targets.length;
        const response = await fetch(`${targets[index].base}/api/v1/auth/me`, {
          headers: { ...auth, 'x-forwarded-for': nextClientAddress() },
        });
        await response.arrayBuffer();
        if (response.ok) served[index] += 1;
        else failures += 1;
      }
    }),
  );
  return { perReplica: served.map((count) => count / seconds), failures };
}

async function crossReplicaLatency(a, b, owner, site) {
  const socket = new WebSocket(`ws://127.0.0.1:${b.port}/api/v1/realtime`);
  const arrivals = new Map();
  const waiting = new Map();
  let subscribed;
  const ready = new Promise((resolve) => (subscribed = resolve));
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === 'subscribed') subscribed();
    if (frame.type !== 'message.created') return;
    arrivals.set(frame.message.clientMessageId, performance.now());
    waiting.get(frame.message.clientMessageId)?.();
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'auth', accessToken: owner.accessToken }));
  socket.send(JSON.stringify({ type: 'subscribe', siteId: site.id }));
  await ready;

  const latencies = [];
  // A visitor may send 20 messages a minute: 10 each, from as many visitors as needed.
  for (let v = 0; latencies.length < MESSAGES; v++) {
    const headers = {
      'x-cloop-site-key': site.publicKey,
      'x-cloop-visitor': randomUUID(),
      origin: ORIGIN,
      'x-forwarded-for': nextClientAddress(),
    };
    await api(a.base, '/api/v1/widget/session', {
      method: 'POST',
      headers,
      body: { entryUrl: `${ORIGIN}/` },
    });
    for (let m = 0; m < 10 && latencies.length < MESSAGES; m++) {
      const id = randomUUID();
      const delivered = new Promise((resolve) => waiting.set(id, resolve));
      const started = performance.now();
      await api(a.base, '/api/v1/widget/messages', {
        method: 'POST',
        headers,
        body: { id, body: `Question ${m}` },
      });
      await delivered;
      latencies.push(arrivals.get(id) - started);
    }
  }
  socket.close();
  latencies.sort((x, y) => x - y);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  return { count: latencies.length, p50: at(0.5), p99: at(0.99), max: latencies.at(-1).toFixed(1) };
}

await sql(adminUrl, `CREATE DATABASE ${dbName}`);
try {
  const a = await startReplica();
  const owner = await api(a.base, '/api/v1/auth/signup', {
    method: 'POST',
    body: { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
  });
  const auth = { authorization: `Bearer ${owner.accessToken}` };
  const me = await api(a.base, '/api/v1/auth/me', { headers: auth });
  const site = await api(a.base, '/api/v1/sites', {
    method: 'POST',
    headers: auth,
    body: { organizationId: me.organizations[0].id, name: 'Bench', allowedOrigins: [ORIGIN] },
  });

  const format = ({ perReplica, failures }) =>
    `${perReplica.map((rate) => rate.toFixed(0)).join(' + ')} = ${perReplica.reduce((x, y) => x + y, 0).toFixed(0)} req/s` +
    (failures ? ` (${failures} failed)` : '');
  console.log(
    `GET /api/v1/auth/me, ${CONCURRENCY} concurrent, ${SECONDS} s each (PostgreSQL, Redis rate limits):`,
  );
  await throughput([a], auth, 2); // warm-up
  console.log(`  1 replica:  ${format(await throughput([a], auth))}`);
  const b = await startReplica();
  await throughput([a, b], auth, 2); // warm-up
  console.log(`  2 replicas: ${format(await throughput([a, b], auth))}`);

  const latency = await crossReplicaLatency(a, b, owner, site);
  console.log(
    `visitor POST on A → console socket on B (${latency.count} messages, Redis pub/sub): ` +
      `p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`,
  );
} finally {
  for (const replica of replicas) replica.child.kill('SIGTERM');
  const codes = await Promise.all(replicas.map((replica) => replica.exited));
  console.log(`replicas exited after SIGTERM with ${codes.join(', ')}`);
  await sql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
