import { mkdir } from 'node:fs/promises';

import type { PGlite } from '@electric-sql/pglite' with { 'resolution-mode': 'import' };
import { DataSource, type DataSourceOptions } from 'typeorm';

import type { DatabaseConfig } from '../config/app-config';
import { lockDataDir } from './embedded-lock';
import { MIGRATIONS } from './migrations';

export interface OpenDatabase {
  dataSource: DataSource;
  /** Closes the pool and, in embedded mode, the in-process PostgreSQL. */
  close(): Promise<void>;
}

const EMBEDDED_IN_MEMORY = 'memory://';
/** `application_name` of every connection to a PostgreSQL server. */
export const APPLICATION_NAME = 'cloop';
/** Arbitrary constant: every Cloop process takes the same advisory lock to migrate one at a time. */
const MIGRATION_LOCK_KEY = 727_4231;

export interface OpenDatabaseOptions {
  /** The entity classes of the modules that have them (`ENTITIES`, in `src/entities.ts`). */
  entities: DataSourceOptions['entities'];
  /**
   * Test support only (api/test/support/database-template.ts); the app and the CLI never pass it.
   * An in-memory embedded database then starts from `embeddedDump`, a `dumpDataDir()` of one that
   * is already migrated, instead of running initdb and every migration again: seconds per test app.
   * The migration run still happens and finds nothing to do.
   */
  embeddedDump?: Blob;
}

/** Opens the database named by the config and brings its schema up to date. */
export async function openDatabase(
  config: DatabaseConfig,
  { entities, embeddedDump }: OpenDatabaseOptions,
): Promise<OpenDatabase> {
  const common = {
    type: 'postgres',
    entities,
    migrations: MIGRATIONS,
    synchronize: false,
  } as const;

  if (config.kind === 'postgres') {
    const dataSource = new DataSource({
      ...common,
      url: config.url,
      poolSize: 10,
      connectTimeoutMS: 10_000,
      // Lets an operator (and the fault tests) tell Cloop's connections apart in pg_stat_activity.
      applicationName: APPLICATION_NAME,
    });
    await dataSource.initialize();
    await migrateWithLock(dataSource);
    return { dataSource, close: () => dataSource.destroy() };
  }

  const onDisk = config.dataDir !== EMBEDDED_IN_MEMORY;
  if (onDisk) await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const unlock = onDisk ? await lockDataDir(config.dataDir) : () => Promise.resolve();
  // A dump is only loaded into a fresh in-memory database: a directory on disk may hold data already.
  const dump = onDisk ? undefined : embeddedDump;
  const pglite = await startPglite(config.dataDir, dump).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  // PGlite's adapter is ESM-only; a native dynamic import keeps this CommonJS build able to load it.
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const options: DataSourceOptions = {
    ...common,
    // One in-process backend: one connection. The connect timeout bounds the wait for it: a burst
    // queues for up to 10 s (then 503), and a query wrongly issued outside an open transaction's
    // EntityManager fails instead of deadlocking.
    poolSize: 1,
    connectTimeoutMS: 10_000,
    extra: { ...createPgConfig(pglite) },
  };
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await pglite.close();
      await unlock();
    },
  };
}

/** With pgvector loaded: it costs nothing until `CREATE EXTENSION`, which happens only with embeddings. */
async function startPglite(dataDir: string, loadDataDir?: Blob): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  return PGlite.create(dataDir, { extensions: { vector }, ...(loadDataDir ? { loadDataDir } : {}) });
}

async function migrateWithLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

export const IN_MEMORY_EMBEDDED_DATABASE: DatabaseConfig = { kind: 'embedded', dataDir: EMBEDDED_IN_MEMORY };
