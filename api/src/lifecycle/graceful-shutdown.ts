import type { Server } from 'node:http';

import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ShutdownState } from './shutdown-state';

export interface ShutdownOptions {
  /** How long in-flight requests and sockets get before they are cut (`SHUTDOWN_GRACE_MS`). */
  graceMs: number;
  /**
   * How long readiness answers 503 while requests are still served, before the drain starts
   * (`SHUTDOWN_DELAY_MS`; 0 by default).
   */
  delayMs?: number;
}

/**
 * Leaves, drains and closes the application, in this order:
 * 0. for `delayMs` (when set), readiness answers 503 while everything else goes on as before: load
 *    balancers polling readiness stop sending new requests before anything is refused;
 * 1. the listener closes: no new connection is accepted, idle keep-alive connections close;
 * 2. draining starts: readiness answers 503, answers carry `Connection: close`, schedulers stop
 *    planning and ask running jobs to stop at their next safe point, realtime sockets close with
 *    1012 (clients reconnect, through the load balancer, to another replica);
 * 3. requests already received finish; after `graceMs`, whatever is still open is cut;
 * 4. Nest's shutdown hooks run: background work ends, then Redis and the database close.
 * Resolves once everything is closed, `clean: false` when a hook failed; never rejects.
 */
export async function shutDownGracefully(
  app: NestFastifyApplication,
  { graceMs, delayMs = 0 }: ShutdownOptions,
): Promise<{ clean: boolean }> {
  const logger = new Logger('Shutdown');
  const started = Date.now();
  if (delayMs > 0) {
    app.get(ShutdownState).beginLeaving();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  const http = app.getHttpServer() as Server;
  // Settles once every connection has ended; Fastify's own close (in `app.close`) then finds it done.
  const drained = new Promise<'drained'>((resolve) => {
    if (!http.listening) resolve('drained');
    else http.close(() => resolve('drained'));
  });
  app.get(ShutdownState).beginDraining();

  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace-over'>((resolve) => {
    timer = setTimeout(() => resolve('grace-over'), graceMs);
  });
  const cut = (await Promise.race([drained, graceOver])) === 'grace-over';
  clearTimeout(timer);
  if (cut) {
    logger.warn(`grace period of ${graceMs} ms over: cutting the connections still open`);
    app.get(ShutdownState).graceOver();
    http.closeAllConnections();
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
 * A second signal, or a shutdown stuck past the delay and the grace period plus 10 s, exits 1 at once.
 */
export function exitGracefullyOnSignals(app: NestFastifyApplication, options: ShutdownOptions): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    shuttingDown = true;
    const delayMs = options.delayMs ?? 0;
    new Logger('Shutdown').log(
      `${signal}: ${delayMs > 0 ? `out of rotation for ${delayMs} ms, then ` : ''}draining ` +
        `(up to ${options.graceMs} ms for requests in flight)`,
    );
    setTimeout(
      () => {
        process.stderr.write('Shutdown is stuck: exiting\n');
        process.exit(1);
      },
      delayMs + options.graceMs + 10_000,
    ).unref();
    void shutDownGracefully(app, options).then(({ clean }) => process.exit(clean ? 0 : 1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
