import 'reflect-metadata';

import { API_DOCS_PATH, HEALTH_PATH, OPENAPI_JSON_PATH } from '@cloop/contracts';

import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';
import { loadOrCreateAuditKey, loadOrCreateJwtSecret } from './config/jwt-secret';
import { openDatabase } from './database/data-source';
import { ENTITIES } from './entities';
import { DataDirBusyError } from './database/embedded-lock';
import { exitGracefullyOnSignals } from './lifecycle/graceful-shutdown';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig(process.env);
  const jwtSecret = config.jwtSecret ?? (await loadOrCreateJwtSecret(config.dataDir).catch(dataDirProblem));
  const auditKey = config.auditKey ?? (await loadOrCreateAuditKey(config.dataDir).catch(dataDirProblem));
  const database = await openDatabase(config.database, { entities: ENTITIES }).catch(
    config.database.kind === 'embedded' ? dataDirProblem : rethrow,
  );
  const app = await createApp({
    config: { ...config, jwtSecret, auditKey },
    database,
    // Soon after boot, then once per period (hourly by default) on one replica.
    retentionSchedule: {
      firstRunAfterMs: Math.min(60_000, config.retentionIntervalMs),
      everyMs: config.retentionIntervalMs,
    },
  });
  // Not Nest's enableShutdownHooks: it tells sockets to reconnect while still listening, never
  // bounds the wait for requests in flight, and exits with the signal's code instead of 0.
  exitGracefullyOnSignals(app, { graceMs: config.shutdownGraceMs, delayMs: config.shutdownDelayMs });
  await app.listen({ port: config.port, host: config.host });

  // One JSON line like every other (pino), printed whatever LOG_LEVEL says but `silent`: operators
  // and scripts wait for it, and it carries the addresses a newcomer needs first.
  const pino = app.getHttpAdapter().getInstance().log;
  pino.child({}, { level: 'info' }).info(
    {
      database: config.database.kind === 'embedded' ? `embedded (${config.database.dataDir})` : 'server',
      readyMs: Date.now() - started,
      console: `${config.publicUrl}/console/`,
      apiDocs: `${config.publicUrl}${API_DOCS_PATH}`,
      openapi: `${config.publicUrl}${OPENAPI_JSON_PATH}`,
      health: `${config.publicUrl}${HEALTH_PATH}`,
    },
    `Cloop is running: open ${config.publicUrl}/console/ (sign up, create a site, then "Try it on the demo page")`,
  );
}

/** A data directory Cloop cannot create or write is a configuration problem: name the variable. */
function dataDirProblem(error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') {
    throw new ConfigError([`DATA_DIR is not a writable directory (${code})`]);
  }
  throw error;
}

function rethrow(error: unknown): never {
  throw error;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
  } else if (error instanceof DataDirBusyError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Cloop failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
