import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, worked out once at start and set on every response. @fastify/helmet calls
 * `helmet(options)` on every request, which parses and validates the CSP directives each time
 * (about 1 % of the widget message path's CPU in a profile, issue 15); the options never change,
 * so neither do the headers. Routes that need another policy (the console, the demo page) set
 * their own header, which replaces this one.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions): void {
  const headers = securityHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}

/** What helmet sets on a response with these options, by running it once on a recorder. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    // helmet removes X-Powered-By, which Fastify never sends: nothing to record.
    removeHeader: () => undefined,
  };
  // helmet ≥ 8.1 throws a bad option at once rather than passing it to this callback.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}
