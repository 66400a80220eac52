// Widget traffic for docker/test/e2e.sh: visitors open sessions and send messages through a base URL
// until the stop file appears. Never retries: every answer that is not 2xx, and every network
// error, is counted and listed. Writes a JSON summary (the ids of the messages stored) to stdout.
//   node docker/test/traffic.mjs BASE_URL SITE_KEY ORIGIN STOP_FILE [LOOPS]
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';

const [base, siteKey, origin, stopFile, loopsArg] = process.argv.slice(2);
if (!base || !siteKey || !origin || !stopFile) {
  console.error('usage: node traffic.mjs BASE_URL SITE_KEY ORIGIN STOP_FILE [LOOPS]');
  process.exit(2);
}
const loops = Number(loopsArg ?? 4);
const stored = [];
const failures = [];
let requests = 0;

async function call(path, visitor, body) {
  requests += 1;
  const at = new Date().toISOString();
  try {
    const response = await fetch(base + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-cloop-site-key': siteKey,
        'x-cloop-visitor': visitor,
        origin,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    if (response.status >= 200 && response.status < 300) return true;
    failures.push({ at, path, status: response.status });
  } catch (error) {
    failures.push({ at, path, error: String(error?.cause?.code ?? error?.name ?? error) });
  }
  return false;
}

async function loop() {
  while (!existsSync(stopFile)) {
    const visitor = randomUUID();
    await call('/api/v1/widget/session', visitor, { entryUrl: `${origin}/e2e` });
    for (let i = 0; i < 10 && !existsSync(stopFile); i += 1) {
      const id = randomUUID();
      if (await call('/api/v1/widget/messages', visitor, { id, body: `e2e traffic ${i}` })) stored.push(id);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const started = Date.now();
await Promise.all(Array.from({ length: loops }, loop));
process.stdout.write(
  JSON.stringify({ requests, seconds: (Date.now() - started) / 1000, failures, stored }) + '\n',
);
