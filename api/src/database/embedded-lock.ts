import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * One process at a time on an embedded data directory: two PGlite instances writing the same
 * files would corrupt it. The lock is a file holding the owner's pid and host name; a lock left by
 * a process of this host that no longer runs (a crash, `kill -9`) is taken over.
 *
 * The host name matters in containers: each has its own pids (the server is often pid 1 in all of
 * them) and its own host name. A lock holding our own pid is stale (a restarted container); a lock
 * from another host name may belong to a live process we cannot see, so it is refused.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}@${hostname()}`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = parseOwner(await readFile(file, 'utf8').catch(() => ''));
      if (owner && owner.host !== null && owner.host !== hostname()) {
        throw new DataDirBusyError(dataDir, owner.pid, owner.host, file);
      }
      if (owner && owner.pid !== process.pid && isRunning(owner.pid)) {
        throw new DataDirBusyError(dataDir, owner.pid);
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirBusyError(dataDir, null);
}

export class DataDirBusyError extends Error {
  constructor(dataDir: string, pid: number | null, host?: string, lockFile?: string) {
    super(
      host && lockFile
        ? `The embedded database in ${dataDir} is locked by pid ${pid} on host ${host}. If no Cloop ` +
            `runs there any more (a container that was killed), delete ${lockFile} and start again.`
        : `Another Cloop process${pid ? ` (pid ${pid})` : ''} is using the embedded database in ${dataDir}. ` +
            'Stop it first, or run the command against PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataDirBusyError';
  }
}

/** `pid@host`, or a bare pid from before host names were recorded (then taken as this host's). */
function parseOwner(text: string): { pid: number; host: string | null } | null {
  const match = /^(\d+)(?:@(.+))?$/.exec(text.trim());
  const pid = Number(match?.[1]);
  return match && Number.isInteger(pid) && pid > 0 ? { pid, host: match[2] ?? null } : null;
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
