// Two replicas on one PostgreSQL and a redis-server of the bench's own (on a free port, never the
// shared one): widget POST latency on replica A with Redis up, while Redis is down (killed), and
// after it is back, p50/p99, plus how long a console socket on A waits for the event. The goal is
// an outage costing at most 2× the normal latency. Prints figures; never fails on time.
// Run after `npm run build`, with PostgreSQL up and `redis-server` installed:
//   node bench/redis-outage.mjs        (BENCH_MESSAGES=200 per phase)
// DATABASE_URL: a server where it may create and drop a scratch database (this machine's by default).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';

import { WebSocket } from 'ws';

import { api, freePort, sql, startReplica as startAt } from './support/replica-processes.mjs';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const ORIGIN = 'https://bench.example';
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const redisPort = await freePort();
let redis = null;
async function redisUp() {
  redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
}
async function redisDown() {
  const child = redis;
  redis = null;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const dbName = `cloop_bench_${randomBytes(6).toString('hex')}`;
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const env = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  JWT_SECRET: randomBytes(36).toString('base64url'),
  AUDIT_KEY: randomBytes(36).toString('base64url'),
  LOG_LEVEL: 'warn',
  // One bench visitor sends every message: the per-visitor limit is raised for it.
  RATE_LIMITS: JSON.stringify({ visitorMessages: { limit: 1_000_000 }, chat: { limit: 1_000_000 } }),
};

const replicas = [];
async function startReplica() {
  const replica = await startAt(env, { logs: true });
  replicas.push(replica);
  return replica;
}

async function consoleSocket(replica, owner, site) {
  const socket = new WebSocket(`ws://127.0.0.1:${replica.port}/api/v1/realtime`);
  const waiting = new Map();
  let subscribed;
  const ready = new Promise((resolve) => (subscribed = resolve));
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === 'subscribed') subscribed();
    if (frame.type === 'message.created') waiting.get(frame.message.clientMessageId)?.(performance.now());
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'auth', accessToken: owner.accessToken }));
  socket.send(JSON.stringify({ type: 'subscribe', siteId: site.id }));
  await ready;
  return { socket, waiting };
}

/** `MESSAGES` visitor POSTs to `replica`, one after another: POST time and time to the local console. */
async function phase(replica, inbox, headers) {
  const posts = [];
  const events = [];
  for (let i = 0; i < MESSAGES; i++) {
    const id = randomUUID();
    const delivered = new Promise((resolve) => inbox.waiting.set(id, resolve));
    const started = performance.now();
    await api(replica.base, '/api/v1/widget/messages', {
      method: 'POST',
      headers,
      body: { id, body: `Question ${i}` },
    });
    posts.push(performance.now() - started);
    events.push((await delivered) - started);
    inbox.waiting.delete(id);
  }
  return { posts: summary(posts), events: summary(events) };
}

function summary(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}

const fmt = ({ p50, p99, max }) =>
  `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`;

await redisUp();
await sql(adminUrl, `CREATE DATABASE ${dbName}`);
try {
  const [a] = [await startReplica(), await startReplica()];
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
  const headers = { 'x-cloop-site-key': site.publicKey, 'x-cloop-visitor': randomUUID(), origin: ORIGIN };
  await api(a.base, '/api/v1/widget/session', { method: 'POST', headers, body: { entryUrl: `${ORIGIN}/` } });
  const inbox = await consoleSocket(a, owner, site);

  await phase(a, inbox, headers); // warm-up
  const normal = await phase(a, inbox, headers);
  await redisDown();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const outage = await phase(a, inbox, headers);
  await redisUp();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const after = await phase(a, inbox, headers);
  inbox.socket.close();

  console.log(
    `widget POST on replica A, ${MESSAGES} sequential messages per phase (PostgreSQL, 2 replicas):`,
  );
  for (const [name, result] of [
    ['Redis up', normal],
    ['Redis down', outage],
    ['Redis back', after],
  ]) {
    console.log(
      `  ${name.padEnd(10)}  POST ${fmt(result.posts)}; console on A gets it: ${fmt(result.events)}`,
    );
  }
  console.log(
    `  outage / normal: p50 ${(outage.posts.p50 / normal.posts.p50).toFixed(2)}×, p99 ${(outage.posts.p99 / normal.posts.p99).toFixed(2)}×`,
  );
  const eventBusLines = a.logs
    .join('')
    .split('\n')
    .filter((line) => line.includes('realtime events'));
  console.log(`  replica A's event-bus log lines during the run: ${eventBusLines.length}`);
  const unhandled = a.logs
    .join('')
    .split('\n')
    .filter((line) => line.includes('Unhandled error event'));
  console.log(`  "[ioredis] Unhandled error event" lines: ${unhandled.length}`);
} finally {
  for (const replica of replicas) replica.child.kill('SIGTERM');
  await Promise.all(replicas.map((replica) => replica.exited));
  if (redis) await redisDown();
  await sql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
