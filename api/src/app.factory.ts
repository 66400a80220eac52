import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';

import multipart from '@fastify/multipart';
import { UPLOAD_MAX_BYTES } from '@cloop/contracts';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';

import { AccessService } from './access/access.service';
import { allowCors } from './access/widget-headers';
import { AppModule } from './app.module';
import { serveConsole } from './console-app/console-app';
import { logEachRequestOnce } from './logging/request-log';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { DomainError } from './common/domain-error';
import { transportErrorOptions } from './common/transport-errors';
import { findUnstorableInput, UNSTORABLE_INPUT_MESSAGES } from './common/unstorable-input';
import { registerSecurityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import type { ResolvedConfig, RuntimeSettings } from './config/config.module';
import type { OpenDatabase } from './database/data-source';
import { ShutdownState } from './lifecycle/shutdown-state';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi';
import type { RateLimitSettings } from './config/rate-limits';
import type { RetentionSchedule } from './retention/retention.scheduler';
import { runtimeSettings } from './runtime-settings';
import { serveStaticFiles } from './static/static-routes';
import { defaultWidgetDir } from './static/widget-bundle';
import { DEFAULT_WEBHOOK_DELIVERY, type WebhookDeliverySettings } from './webhooks/webhook-delivery.worker';

const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions {
  /** The environment's configuration; the runtime settings come from the options below. */
  config: Omit<ResolvedConfig, 'runtime'>;
  database: OpenDatabase;
  /** Replaces the configured limits (`RATE_LIMITS`); tests pass their own. */
  rateLimits?: RateLimitSettings;
  /** Realtime heartbeat period; tests shorten it. */
  heartbeatMs?: number;
  /** Lets a test see every route as Fastify registers it. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
  /** Where request logs go (standard output by default); lets a test read them. */
  logStream?: { write(line: string): void };
  /** The built `widget.js` served at `/widget.js`; tests pass their own. */
  widgetJsPath?: string;
  /** Background retention runs; off unless given (`main.ts` gives one). */
  retentionSchedule?: RetentionSchedule;
  /** The built console (`dist/console/browser` beside `dist/api` by default); tests point elsewhere. */
  consoleDir?: string;
  /** Webhook deliveries: on with the documented schedule unless changed (tests) or `null` (off). */
  webhookDelivery?: Partial<WebhookDeliverySettings> | null;
  /** The site-wide export's batch size; tests make it small to cross batches with few rows. */
  siteExportBatch?: RuntimeSettings['siteExportBatch'];
  /** How old a single sign-on session's provider check may be at refresh; tests shorten it. */
  ssoRecheckMs?: number;
}

/** Builds the whole HTTP application on an opened database; `main.ts` and the tests share it. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const config: ResolvedConfig = {
    ...options.config,
    rateLimits: options.rateLimits ?? options.config.rateLimits,
    runtime: runtimeSettings({
      heartbeatMs: options.heartbeatMs ?? 30_000,
      retentionSchedule: options.retentionSchedule ?? null,
      webhookDelivery:
        options.webhookDelivery === null ? null : { ...DEFAULT_WEBHOOK_DELIVERY, ...options.webhookDelivery },
      ...(options.siteExportBatch ? { siteExportBatch: options.siteExportBatch } : {}),
      ...(options.ssoRecheckMs === undefined ? {} : { ssoRecheckMs: options.ssoRecheckMs }),
    }),
  };
  const adapter = new FastifyAdapter(fastifyOptions(config, options.logStream));
  const fastify = adapter.getInstance();
  if (options.onRoute) fastify.addHook('onRoute', options.onRoute);
  logEachRequestOnce(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, database: options.database }),
    adapter,
    // Nest writes through Fastify's pino: one JSON shape for every line.
    { logger: config.logLevel === 'silent' ? false : new PinoNestLogger(fastify.log), bodyParser: true },
  );
  app.useGlobalPipes(createValidationPipe());
  await registerHttpHardening(fastify);
  letWidgetsReadErrors(fastify, app.get(AccessService));
  closeConnectionsWhileDraining(fastify, app.get(ShutdownState));
  serveStaticFiles(fastify, options.widgetJsPath ?? join(defaultWidgetDir(), 'widget.js'));
  serveOpenApi(app, buildOpenApiDocument(app, config.publicUrl));
  serveConsole(fastify, {
    dir: options.consoleDir ?? resolve(__dirname, '../../../console/browser'),
    publicUrl: config.publicUrl,
  });
  await app.init();
  return app;
}

function fastifyOptions(
  config: ResolvedConfig,
  logStream: CreateAppOptions['logStream'],
): FastifyServerOptions {
  return {
    ...transportErrorOptions,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxyHops > 0 ? config.trustProxyHops : false,
    genReqId: () => randomUUID(),
    // Fastify's own pair of lines ("incoming request", "request completed") becomes one: request-log.ts.
    logController: new LogController({ disableRequestLogging: true }),
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            ...(logStream ? { stream: logStream } : {}),
            // Only what operations need: never headers (tokens), bodies (messages, emails) or query strings.
            serializers: {
              req: (req: { method: string; url: string; id: string }) => ({
                id: req.id,
                method: req.method,
                path: req.url.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
  };
}

async function registerHttpHardening(fastify: FastifyInstance): Promise<void> {
  registerSecurityHeaders(fastify, {
    // JSON API and the self-contained API docs page; nothing loads from other origins.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        fontSrc: ["'self'"],
        // Self-hosters often start on plain http; upgrading would break every asset there.
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // A JSON API: any other body type is a 415, not a string that fails validation in a puzzling way.
  fastify.removeContentTypeParser('text/plain');
  // Knowledge-base uploads only; the route reads the file itself, within its own size limit.
  await fastify.register(multipart, {
    limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 0, parts: 1 },
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const problem = findUnstorableInput(request.body) ?? findUnstorableInput(request.query);
    done(problem ? new DomainError('VALIDATION_FAILED', UNSTORABLE_INPUT_MESSAGES[problem]) : undefined);
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
    // Responses carry tokens and personal data: no shared or browser cache may keep them.
    // Widget answers differ by the page's origin (CORS): caches must keep them apart.
    if (request.url.startsWith('/api/v1/widget/')) void reply.header('Vary', 'Origin');
    if (request.url.startsWith('/api/v1/') && !reply.hasHeader('Cache-Control'))
      void reply.header('Cache-Control', 'no-store');
  });
}

/**
 * A widget error sent before the site is known (a 429 from the per-IP limit, a 404) still carries
 * the CORS header for an origin some site allows, so the widget can read `Retry-After` and back off.
 */
function letWidgetsReadErrors(fastify: FastifyInstance, access: AccessService): void {
  fastify.addHook('onSend', async (request, reply) => {
    const origin = request.headers.origin;
    if (
      origin &&
      reply.statusCode >= 400 &&
      request.url.startsWith('/api/v1/widget/') &&
      !reply.hasHeader('Access-Control-Allow-Origin') &&
      (await access.isOriginAllowedAnywhere(origin))
    ) {
      allowCors(reply, origin);
    }
  });
}

/** While shutting down, every answer ends its keep-alive connection: the client's next request goes elsewhere. */
function closeConnectionsWhileDraining(fastify: FastifyInstance, shutdown: ShutdownState): void {
  fastify.addHook('onSend', async (_request, reply) => {
    if (shutdown.draining) void reply.header('Connection', 'close');
  });
}
