// Measures, in Debian's Chromium, the time from the widget script having loaded (its resource
// timing `responseEnd`) to the launcher being visible: parse and run, the config request, the
// Shadow DOM drawn. Also from navigation start. Prints figures; never fails on time.
// Run after `npm run build`: `node bench/widget-startup.mjs` (RUNS=10 by default).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { launchChromium } from './support/chromium.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
const main = join(import.meta.dirname, '..', 'dist', 'api', 'api', 'src', 'main.js');
const apiPort = Number(process.env.BENCH_PORT ?? 3998);
const hostPort = apiPort + 1;
const api = `http://127.0.0.1:${apiPort}`;
const hostOrigin = `http://127.0.0.1:${hostPort}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cloop-bench-widget-'));

async function json(method, path, body, token) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  return response.json();
}

const app = spawn(process.execPath, [main], {
  env: { ...process.env, PORT: String(apiPort), DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: api },
  stdio: 'ignore',
});
let host;
let browser;
try {
  for (;;) {
    if (app.exitCode !== null) throw new Error(`Cloop exited with ${app.exitCode}`);
    if (
      await fetch(`${api}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const auth = await json('POST', '/api/v1/auth/signup', {
    email: `bench-${Date.now()}@example.test`,
    password: 'correct horse battery staple',
    name: 'Bench',
  });
  const me = await json('GET', '/api/v1/auth/me', undefined, auth.accessToken);
  const site = await json(
    'POST',
    '/api/v1/sites',
    { organizationId: me.organizations[0].id, name: 'Bench', allowedOrigins: [hostOrigin] },
    auth.accessToken,
  );
  const page = `<!doctype html><title>Shop</title><h1>Shop</h1>
<script src="${api}/widget.js" data-site-key="${site.publicKey}" async></script>`;
  host = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end(page));
  await new Promise((resolve) => host.listen(hostPort, '127.0.0.1', resolve));

  browser = await launchChromium();
  const fromScript = [];
  const fromNavigation = [];
  const configRequest = [];
  const beforeConfig = [];
  const afterConfig = [];
  for (let run = 0; run < RUNS; run += 1) {
    // A fresh profile each run: nothing cached, as for a first-time visitor.
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${hostOrigin}/`);
    const visibleAt = await tab.waitForFunction(
      () => {
        const launcher = document.querySelector('cloop-widget')?.shadowRoot?.querySelector('.launcher');
        return launcher && launcher.getBoundingClientRect().width > 0 ? performance.now() : null;
      },
      null,
      { polling: 'raf', timeout: 10_000 },
    );
    const visible = await visibleAt.jsonValue();
    const loaded = await tab.evaluate(
      (url) => performance.getEntriesByName(url)[0]?.responseEnd ?? Number.NaN,
      `${api}/widget.js`,
    );
    const config = await tab.evaluate(() => {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/widget/config'));
      return entry ? [entry.startTime, entry.responseEnd] : [Number.NaN, Number.NaN];
    });
    configRequest.push(config[1] - config[0]);
    beforeConfig.push(config[0] - loaded);
    afterConfig.push(visible - config[1]);
    fromScript.push(visible - loaded);
    fromNavigation.push(visible);
    await context.close();
  }
  const summary = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
    return `median ${at(0.5)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
  };
  console.log(`widget startup over ${RUNS} cold page loads (Chromium, loopback, no cache):`);
  console.log(`  script loaded → launcher visible:   ${summary(fromScript)}`);
  console.log(`  navigation start → launcher visible: ${summary(fromNavigation)}`);
  console.log(`    script loaded → config request sent:  ${summary(beforeConfig)}`);
  console.log(`    config request (with CORS preflight): ${summary(configRequest)}`);
  console.log(`    config answered → launcher visible:   ${summary(afterConfig)}`);
} finally {
  await browser?.close();
  host?.close();
  app.kill('SIGTERM');
  await new Promise((resolve) => app.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
