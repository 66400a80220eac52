import 'reflect-metadata';

import { randomBytes } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

import { createApp, type CreateAppOptions } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { IN_MEMORY_EMBEDDED_DATABASE, type OpenDatabase, openDatabase } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../../src/config/rate-limits';
import { shutDownGracefully } from '../../src/lifecycle/graceful-shutdown';
import type { RetentionSchedule } from '../../src/retention/retention.scheduler';
import type { WebhookDeliverySettings } from '../../src/webhooks/webhook-delivery.worker';
import { databaseUrl, migratedEmbeddedDump, migratedTemplateDatabase, withClient } from './database-template';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  /** Every route Fastify registered, as `METHOD /path`. */
  routes: string[];
  /**
   * Runs requests that must overlap. supertest otherwise starts and stops the server around each
   * request, and the first to finish resets the others' connections.
   */
  concurrently<T>(work: () => Promise<T>): Promise<T>;
  /** Settings a second replica of this app needs to share its database and secrets. */
  sharedEnv: Record<string, string>;
  /** Listens on a free loopback port (for WebSocket clients); returns `host:port`. */
  listen(): Promise<string>;
  /** Stops the app as SIGTERM does (drain, then close); `close` does nothing afterwards. */
  shutDown(graceMs: number, delayMs?: number): Promise<{ clean: boolean }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  rateLimits?: Partial<RateLimitSettings>;
  env?: Record<string, string>;
  logStream?: { write(line: string): void };
  heartbeatMs?: number;
  /** The `widget.js` the app serves (by default the built one under `dist/`). */
  widgetJsPath?: string;
  retentionSchedule?: RetentionSchedule;
  /** The site-wide export's batch size (small to cross batches with few rows). */
  siteExportBatch?: CreateAppOptions['siteExportBatch'];
  /** How old a single sign-on session's provider check may be at refresh (an hour by default). */
  ssoRecheckMs?: number;
  /** Webhook delivery settings (a short retry schedule); the production ones by default. */
  webhookDelivery?: Partial<WebhookDeliverySettings> | null;
  /** Embedded PGlite on disk in this directory instead of in memory: it outlives the app. */
  embeddedDataDir?: string;
}

/** Limits high enough that ordinary tests never meet them; rate-limit tests pass their own. */
const GENEROUS = { limit: 10_000, windowMs: 60_000 };
const TEST_RATE_LIMITS: RateLimitSettings = {
  ...DEFAULT_RATE_LIMITS,
  auth: GENEROUS,
  admin: GENEROUS,
  apiKey: GENEROUS,
  public: GENEROUS,
  chat: GENEROUS,
  mail: GENEROUS,
  visitorMessages: GENEROUS,
  newVisitors: GENEROUS,
  realtimeConnections: GENEROUS,
};

/**
 * The real application over real HTTP semantics, on a database of its own: in-memory PGlite by
 * default, or a fresh database on the server named by `DATABASE_URL` (dropped afterwards); events
 * go through Redis when `REDIS_URL` is set.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // A second replica passes the first one's `sharedEnv`: same database, same secret.
  const server =
    process.env['DATABASE_URL'] && !options.env?.['DATABASE_URL']
      ? await createScratchDatabase(process.env['DATABASE_URL'])
      : null;
  const env = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    TRUST_PROXY: '1',
    ...(server ? { DATABASE_URL: server.url } : {}),
    ...(process.env['REDIS_URL'] ? { REDIS_URL: process.env['REDIS_URL'] } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const database =
    config.database.kind === 'postgres'
      ? await openDatabase(config.database, { entities: ENTITIES })
      : options.embeddedDataDir
        ? await openDatabase({ kind: 'embedded', dataDir: options.embeddedDataDir }, { entities: ENTITIES })
        : await openInMemoryDatabase();
  const routes: string[] = [];
  const app = await createApp({
    config: { ...config, jwtSecret: config.jwtSecret ?? '', auditKey: config.auditKey ?? '' },
    database,
    // A test that sets RATE_LIMITS checks the operator's setting: then it, not the generous limits, applies.
    rateLimits: {
      ...(options.env?.['RATE_LIMITS'] ? config.rateLimits : TEST_RATE_LIMITS),
      ...options.rateLimits,
    },
    logStream: options.logStream,
    heartbeatMs: options.heartbeatMs,
    widgetJsPath: options.widgetJsPath,
    retentionSchedule: options.retentionSchedule,
    webhookDelivery: options.webhookDelivery,
    siteExportBatch: options.siteExportBatch,
    ssoRecheckMs: options.ssoRecheckMs,
    onRoute: (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
    },
  });
  // Fastify finalizes its hooks in ready(); listen() does it in production, supertest does not.
  await app.getHttpAdapter().getInstance().ready();
  let closed = false;
  return {
    app,
    http: request(app.getHttpServer()),
    routes,
    sharedEnv: {
      JWT_SECRET: env.JWT_SECRET,
      AUDIT_KEY: env.AUDIT_KEY,
      ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}),
      ...(env.REDIS_URL ? { REDIS_URL: env.REDIS_URL } : {}),
    },
    listen: async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.getHttpServer().address();
      if (address === null || typeof address === 'string') throw new Error('not listening on a TCP port');
      return `127.0.0.1:${address.port}`;
    },
    concurrently: async (work) => {
      const server = app.getHttpServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        return await work();
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
    shutDown: async (graceMs, delayMs) => {
      closed = true;
      const result = await shutDownGracefully(app, { graceMs, delayMs });
      await server?.drop();
      return result;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await server?.drop();
    },
  };
}

/** An in-memory embedded database of its own, already migrated (a copy of the run's template). */
export async function openInMemoryDatabase(): Promise<OpenDatabase> {
  return openDatabase(IN_MEMORY_EMBEDDED_DATABASE, {
    entities: ENTITIES,
    embeddedDump: await migratedEmbeddedDump(),
  });
}

/**
 * A database of its own on the server of `adminUrl`: a copy of the migrated template, or `empty`
 * for a test of what the app does on a database it has to migrate itself.
 */
export async function createScratchDatabase(
  adminUrl: string,
  { empty = false }: { empty?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const template = empty ? null : await migratedTemplateDatabase(adminUrl);
  const name = `cloop_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) =>
    client.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`),
  );
  return {
    url: databaseUrl(adminUrl, name),
    drop: async () => {
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
