import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { openDatabase } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import { MIGRATIONS } from '../../src/database/migrations';

// Every test app used to run initdb and all the migrations on a database of its own: seconds each,
// most of the integration suite's time. Now the migrations run once per version of the schema, into
// a template that each test app copies: a tarball of PGlite's data directory in the temp folder
// (embedded mode), or a template database on the server (PostgreSQL mode). Each app still gets a
// database of its own, and the migration run at its start still happens (and finds nothing to do).

const WORKSPACE_ROOT = join(__dirname, '../../..');
/** A lock older than this was left by a run that died while building the template. */
const STALE_LOCK_MS = 120_000;
/** Arbitrary constant: test processes take it on the server to build the template one at a time. */
const TEMPLATE_LOCK_KEY = 727_4232;

/**
 * Names the schema the migrations build: their code, and the PGlite build whose data directory
 * the tarball holds. A changed migration (or PGlite upgrade) gets a new template, never a stale one.
 */
function templateKey(): string {
  const hash = createHash('sha256');
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    hash.update(`${name}@${packageVersion(name)}\n`);
  }
  for (const migration of MIGRATIONS) hash.update(`${migration.name}\n${String(migration)}\n`);
  return hash.digest('hex').slice(0, 16);
}

function packageVersion(name: string): string {
  const file = join(WORKSPACE_ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

let embeddedDump: Promise<Blob> | undefined;

/** The data directory of a migrated embedded database, for `openDatabase`'s `embeddedDump`. */
export function migratedEmbeddedDump(): Promise<Blob> {
  embeddedDump ??= readOrBuildDump();
  return embeddedDump;
}

async function readOrBuildDump(): Promise<Blob> {
  const file = join(tmpdir(), `cloop-test-template-${templateKey()}.tar`);
  const existing = await readFile(file).catch(() => null);
  if (existing) return new Blob([existing]);
  return withLockFile(`${file}.lock`, async () => {
    // Another test process may have built it while this one waited for the lock.
    const built = (await readFile(file).catch(() => null)) ?? (await buildDump());
    const partial = `${file}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, built);
    await rename(partial, file);
    return new Blob([built]);
  });
}

/** Migrates a database on disk exactly as the app does, then dumps its data directory. */
async function buildDump(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'cloop-template-'));
  try {
    const dataDir = join(dir, 'pgdata');
    const database = await openDatabase({ kind: 'embedded', dataDir }, { entities: ENTITIES });
    await database.close();
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(dataDir);
    try {
      return Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    } finally {
      await pglite.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One test process at a time (jest's workers start together and would all build it). */
async function withLockFile<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await (await open(lockFile, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lockedAt = (await stat(lockFile).catch(() => null))?.mtimeMs ?? 0;
      if (Date.now() - lockedAt > STALE_LOCK_MS) await rm(lockFile, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}

const serverTemplates = new Map<string, Promise<string>>();

/**
 * The name of a migrated database on the server of `adminUrl`, for `CREATE DATABASE … TEMPLATE`.
 * It stays there for later runs; a new schema gets a new name.
 */
export function migratedTemplateDatabase(adminUrl: string): Promise<string> {
  const known = serverTemplates.get(adminUrl);
  if (known) return known;
  const template = buildTemplateDatabase(adminUrl);
  serverTemplates.set(adminUrl, template);
  // A failed build is not remembered: the next test app tries again (and reports the error).
  template.catch(() => serverTemplates.delete(adminUrl));
  return template;
}

async function buildTemplateDatabase(adminUrl: string): Promise<string> {
  const name = `cloop_template_${templateKey()}`;
  await withClient(adminUrl, async (client) => {
    // Released when the client disconnects, so a test process that dies never leaves it held.
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    // Built under another name and renamed when complete: a half-migrated template is never used.
    const building = `${name}_${randomBytes(4).toString('hex')}`;
    await client.query(`CREATE DATABASE ${building}`);
    try {
      const database = await openDatabase(
        { kind: 'postgres', url: databaseUrl(adminUrl, building) },
        { entities: ENTITIES },
      );
      await database.close();
      // A copy needs its template free of sessions; the pool's may still be closing on the server.
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        building,
      ]);
      await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } catch (error) {
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      throw error;
    }
  });
  return name;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
