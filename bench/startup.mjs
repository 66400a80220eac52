// Measures how long Cloop takes to answer /api/health on a new data directory (cold: initdb and
// migrations) and on the same one again (warm), and the process's resident memory once ready.
// Prints figures; never fails on time. Run after `npm run build`: `node bench/startup.mjs`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = join(import.meta.dirname, '..', 'dist', 'api', 'api', 'src', 'main.js');
const port = Number(process.env.BENCH_PORT ?? 3999);
const dataDir = mkdtempSync(join(tmpdir(), 'cloop-bench-'));

async function startOnce(label) {
  const started = performance.now();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${label}: Cloop exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const readyMs = performance.now() - started;
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    console.log(
      `${label.padEnd(5)} ready in ${Math.round(readyMs)} ms, RSS ${Math.round(rssKb / 1024)} MB (peak ${Math.round(hwmKb / 1024)} MB)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

try {
  await startOnce('cold');
  await startOnce('warm');
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
