// Latency from a visitor's POST /api/v1/widget/messages to a console socket receiving the
// message.created event, as p50/p95/p99 over many messages. Prints figures; never fails on time.
// Run after `npm run build`: `node bench/realtime-latency.mjs` (embedded database), or with
// DATABASE_URL, JWT_SECRET and REDIS_URL set to measure through PostgreSQL and Redis.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { WebSocket } from 'ws';

const VISITORS = 20;
const MESSAGES_PER_VISITOR = 10;
const ORIGIN = 'https://bench.example';
const port = Number(process.env.BENCH_PORT ?? 3998);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cloop-bench-'));
const main = join(import.meta.dirname, '..', 'dist', 'api', 'api', 'src', 'main.js');

const app = spawn(process.execPath, [main], {
  // TRUST_PROXY lets each simulated visitor come from its own address, as real ones do.
  env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', TRUST_PROXY: '1' },
  stdio: 'ignore',
});

async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body && JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

try {
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const owner = await api('/api/v1/auth/signup', {
    method: 'POST',
    body: { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
  });
  const auth = { authorization: `Bearer ${owner.accessToken}` };
  const me = await api('/api/v1/auth/me', { headers: auth });
  const site = await api('/api/v1/sites', {
    method: 'POST',
    headers: auth,
    body: { organizationId: me.organizations[0].id, name: 'Bench', allowedOrigins: [ORIGIN] },
  });

  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/realtime`);
  const arrivals = new Map();
  const waiting = new Map();
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type !== 'message.created') return;
    arrivals.set(frame.message.clientMessageId, performance.now());
    waiting.get(frame.message.clientMessageId)?.();
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'auth', accessToken: owner.accessToken }));
  socket.send(JSON.stringify({ type: 'subscribe', siteId: site.id }));
  await new Promise((resolve) => setTimeout(resolve, 200));

  const latencies = [];
  for (let v = 0; v < VISITORS; v++) {
    const headers = {
      'x-cloop-site-key': site.publicKey,
      'x-cloop-visitor': randomUUID(),
      origin: ORIGIN,
      'x-forwarded-for': `198.51.100.${v + 1}`,
    };
    await api('/api/v1/widget/session', { method: 'POST', headers, body: { entryUrl: `${ORIGIN}/` } });
    for (let m = 0; m < MESSAGES_PER_VISITOR; m++) {
      const id = randomUUID();
      const delivered = new Promise((resolve) => waiting.set(id, resolve));
      const started = performance.now();
      await api('/api/v1/widget/messages', { method: 'POST', headers, body: { id, body: `Question ${m}` } });
      await delivered;
      latencies.push(arrivals.get(id) - started);
    }
  }
  socket.close();

  latencies.sort((x, y) => x - y);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  const where = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite';
  const bus = process.env.REDIS_URL ? 'Redis' : 'in-process bus';
  console.log(
    `visitor POST → console socket (${latencies.length} messages, ${where}, ${bus}): ` +
      `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1).toFixed(1)} ms`,
  );
} finally {
  app.kill('SIGTERM');
  await new Promise((resolve) => app.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
