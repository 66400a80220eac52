import type { Server } from 'node:http';

import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { RealtimeGateway } from '../realtime/realtime.gateway';
import { ShutdownState } from './shutdown-state';

export interface ShutdownOptions {
  /** How long in-flight requests and sockets get before they are cut (`SHUTDOWN_GRACE_MS`). */
  graceMs: number;
}

/**
 * Drains and closes the application, in this order:
 * 1. draining starts: readiness answers 503, schedulers stop planning and ask running jobs to stop
 *    at their next safe point, realtime sockets close with 1012 (clients reconnect elsewhere);
 * 2. the listener closes: no new connection is accepted, requests already received finish, idle
 *    keep-alive connections close, a request arriving on a busy one gets a 503;
 * 3. after `graceMs`, whatever is still open is cut;
 * 4. Nest's shutdown hooks run: background work, then Redis and the database close.
 * Resolves once everything is closed; never rejects (problems are logged).
 */
export async function shutDownGracefully(
  app: NestFastifyApplication,
  { graceMs }: ShutdownOptions,
): Promise<{ clean: boolean }> {
  const logger = new Logger('Shutdown');
  const started = Date.now();
  app.get(ShutdownState).beginDraining();
  const http = app.getHttpServer() as Server;

  let cut = false;
  const graceOver = new Promise<'grace-over'>((resolve) => {
    setTimeout(() => resolve('grace-over'), graceMs).unref();
  });
  const closed = app
    .getHttpAdapter()
    .getInstance()
    .close()
    .then(() => 'closed' as const);
  if ((await Promise.race([closed, graceOver])) === 'grace-over') {
    cut = true;
    logger.warn(`grace period of ${graceMs} ms over: cutting the connections still open`);
    app.get(RealtimeGateway).terminateAll();
    http.closeAllConnections();
    await closed;
  }

  let clean = true;
  try {
    await app.close();
  } catch (error) {
    clean = false;
    logger.error(`shutdown hook failed: ${error instanceof Error ? error.name : 'error'}`);
  }
  logger.log(`stopped in ${Date.now() - started} ms${cut ? ' (connections cut)' : ''}`);
  return { clean };
}

/**
 * SIGTERM or SIGINT drains and closes the application, then exits 0 (1 if a shutdown hook failed).
 * A second signal, or a shutdown stuck past the grace period plus 10 s, exits 1 at once.
 */
export function exitGracefullyOnSignals(app: NestFastifyApplication, options: ShutdownOptions): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    shuttingDown = true;
    new Logger('Shutdown').log(`${signal}: draining (up to ${options.graceMs} ms for requests in flight)`);
    setTimeout(() => {
      process.stderr.write('Shutdown is stuck: exiting\n');
      process.exit(1);
    }, options.graceMs + 10_000).unref();
    void shutDownGracefully(app, options).then(({ clean }) => process.exit(clean ? 0 : 1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
