import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../../..');
/** The production entry point, as `npm start` and the Docker image run it. */
export const BUILT_MAIN = join(ROOT, 'dist/api/api/src/main.js');

/** One line of a process's standard output: the JSON logs parsed, other lines as text. */
export type OutputLine = { text: string; json: Record<string, unknown> | null };

export interface CloopProcess {
  pid: number;
  /** `127.0.0.1:port` */
  host: string;
  url: string;
  lines: OutputLine[];
  /** The first line (seen or to come) that matches. */
  waitForLine(match: (line: OutputLine) => boolean, timeoutMs?: number): Promise<OutputLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * The test runs the real build, not the TypeScript sources: what operators run, signals and exit
 * codes included. CI builds before the integration suite; locally, a missing or stale build (older
 * than a source file) is rebuilt here first, with the project's own build command.
 */
export async function ensureBuiltApi(): Promise<string> {
  if (existsSync(BUILT_MAIN) && statSync(BUILT_MAIN).mtimeMs >= newestSource()) return BUILT_MAIN;
  await promisify(execFile)('npx', ['nx', 'run', 'api:build', '--output-style=static', '--skip-nx-cache'], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  return BUILT_MAIN;
}

function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(ROOT, 'api/src'));
  walk(join(ROOT, 'libs/contracts/src'));
  return newest;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node dist/…/main.js` with only the given environment; resolves once it listens. */
export async function startCloopProcess(
  env: Record<string, string>,
  bootTimeoutMs = 60_000,
): Promise<CloopProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BUILT_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      ...env,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: OutputLine[] = [];
  const errors: string[] = [];
  let waiters: { match: (line: OutputLine) => boolean; resolve: (line: OutputLine) => void }[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const text of complete) {
      const line = { text, json: parseJson(text) };
      lines.push(line);
      waiters = waiters.filter((waiter) => !(waiter.match(line) && (waiter.resolve(line), true)));
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => errors.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

  const waitForLine = (match: (line: OutputLine) => boolean, timeoutMs = 30_000): Promise<OutputLine> => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`no matching output within ${timeoutMs} ms; stderr: ${errors.join('').slice(-2000)}`),
        );
      }, timeoutMs);
      void exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`process exited (${code}) first; stderr: ${errors.join('').slice(-2000)}`));
      });
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  };

  // The ready line is pino JSON like every other line (api/src/main.ts).
  const ready = (line: OutputLine) => {
    const msg = line.json?.['msg'];
    return typeof msg === 'string' && msg.startsWith('Cloop is running');
  };
  await waitForLine(ready, bootTimeoutMs);
  return {
    pid: child.pid ?? 0,
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    lines,
    waitForLine,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
