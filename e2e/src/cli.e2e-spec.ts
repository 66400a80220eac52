import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startCloop } from './support/cloop-process';

const CLI = resolve(__dirname, '..', '..', 'dist', 'api', 'api', 'src', 'cli.js');
const EMAIL = 'operator@example.test';
const PASSWORD = 'first passphrase of the operator';
const NEW_PASSWORD = 'second passphrase after the reset';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built command line as an operator runs it, with `input` piped on standard input. */
function cloop(dataDir: string, args: string[], input = ''): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(input);
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

async function login(url: string, password: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password }),
  });
  return response.status;
}

describe('the cloop command line, built', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloop-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates an account the server signs in, refuses to run beside the server, and resets the password', async () => {
    const created = await cloop(
      dataDir,
      ['user:create', '--email', EMAIL, '--name', 'Operator'],
      `${PASSWORD}\n`,
    );
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining(EMAIL) as unknown });
    expect(created.stdout + created.stderr).not.toContain(PASSWORD);

    let server = await startCloop({ dataDir });
    try {
      expect(await login(server.url, PASSWORD)).toBe(200);
      const busy = await cloop(dataDir, ['user:password', '--email', EMAIL], `${NEW_PASSWORD}\n`);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('is using the embedded database');
    } finally {
      await server.stop();
    }

    const reset = await cloop(dataDir, ['user:password', '--email', EMAIL], `${NEW_PASSWORD}\n`);
    expect(reset.code).toBe(0);
    expect(reset.stdout + reset.stderr).not.toContain(NEW_PASSWORD);

    server = await startCloop({ dataDir });
    try {
      expect(await login(server.url, PASSWORD)).toBe(401);
      expect(await login(server.url, NEW_PASSWORD)).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('explains a refused password and an unknown command with a message, not a stack trace', async () => {
    const weak = await cloop(
      dataDir,
      ['user:create', '--email', 'b@example.test', '--name', 'B'],
      'password\n',
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).not.toMatch(/\n\s+at /);

    const unknown = await cloop(dataDir, ['user:delete']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('user:create');
  });
});
