import type { FastifyInstance } from 'fastify';

/**
 * One `info` line per request, when it is answered: id, method, path, status and time taken (the
 * serializers in app.factory.ts keep headers, bodies and query strings out).
 */
export function logEachRequestOnce(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) },
      'request completed',
    );
    done();
  });
}
