import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataDirBusyError, lockDataDir } from './embedded-lock';

describe('the embedded data directory lock', () => {
  let dir: string;
  let dataDir: string;
  const lockFile = () => `${dataDir}.lock`;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloop-lock-'));
    dataDir = join(dir, 'pglite');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('records the owner pid and host name, and removes the file on unlock', async () => {
    const unlock = await lockDataDir(dataDir);
    expect(await readFile(lockFile(), 'utf8')).toBe(`${process.pid}@${hostname()}`);
    await unlock();
    await expect(readFile(lockFile(), 'utf8')).rejects.toThrow();
  });

  it('refuses while a live process of this host holds it', async () => {
    const unlock = await lockDataDir(dataDir);
    await writeFile(lockFile(), `${process.ppid}@${hostname()}`);
    await expect(lockDataDir(dataDir)).rejects.toThrow(DataDirBusyError);
    await unlock();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(lockFile(), `${gone}@${hostname()}`);
    const unlock = await lockDataDir(dataDir);
    expect(await readFile(lockFile(), 'utf8')).toBe(`${process.pid}@${hostname()}`);
    await unlock();
  });

  it('takes over a lock holding its own pid: a restarted container, where the server is pid 1 again', async () => {
    await writeFile(lockFile(), `${process.pid}@${hostname()}`);
    const locking = lockDataDir(dataDir);
    await expect(locking).resolves.toEqual(expect.any(Function));
    const unlock = await locking;
    await unlock();
    await expect(readFile(lockFile(), 'utf8')).rejects.toThrow();
  });

  it('reads a lock from before host names were recorded as this host’s', async () => {
    await writeFile(lockFile(), String(process.ppid));
    await expect(lockDataDir(dataDir)).rejects.toThrow(DataDirBusyError);
  });

  it('refuses a lock from another host (another container on the same volume) and says how to clear it', async () => {
    await writeFile(lockFile(), `1@another-container`);
    await expect(lockDataDir(dataDir)).rejects.toThrow(/host another-container.*delete .*pglite\.lock/s);
  });
});
