import { open, readFile, rm } from 'node:fs/promises';

/**
 * One process at a time on an embedded data directory: two PGlite instances writing the same
 * files would corrupt it. The lock is a file holding the owner's pid; a lock left by a process
 * that no longer runs (a crash, `kill -9`) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new DataDirBusyError(dataDir, owner);
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirBusyError(dataDir, null);
}

export class DataDirBusyError extends Error {
  constructor(dataDir: string, pid: number | null) {
    super(
      `Another Cloop process${pid ? ` (pid ${pid})` : ''} is using the embedded database in ${dataDir}. ` +
        'Stop it first, or run the command against PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataDirBusyError';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
