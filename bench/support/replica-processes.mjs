// Cloop's built server as child processes on one PostgreSQL, for the benches that need several
// replicas: a scratch database, free ports, and a replica started and awaited until it answers.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import pg from 'pg';

const main = join(import.meta.dirname, '..', '..', 'dist', 'api', 'api', 'src', 'main.js');

/** Runs one statement on its own connection (CREATE DATABASE cannot run in a pool's transaction). */
export async function sql(url, text) {
  const client = new pg.Client({ connectionString: url });
  // Ended from outside while closing (a shared server's tests may end backends): the statement's
  // own outcome is what counts.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the built server with `env` on a free port and waits for `/api/health`. `logs`: keep its
 * output (for a failure message) instead of discarding it; `main`: another build's main.js.
 */
export async function startReplica(env, { logs = false, main: entry = main } = {}) {
  const port = await freePort();
  const output = [];
  const child = spawn(process.execPath, [entry ?? main], {
    env: { ...env, PORT: String(port) },
    stdio: logs ? ['ignore', 'pipe', 'pipe'] : 'ignore',
  });
  if (logs) {
    child.stdout.on('data', (chunk) => output.push(String(chunk)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
  }
  let exitCode = null;
  const exited = new Promise((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exitCode !== null) {
      throw new Error(`the server exited with ${exitCode} before it was up:\n${output.join('')}`);
    }
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, exited, port, base, logs: output };
}

/** JSON over HTTP; anything but a 2xx is an error naming the route. */
export async function api(base, path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body && JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
