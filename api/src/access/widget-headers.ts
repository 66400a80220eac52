import type { FastifyReply } from 'fastify';

export const SITE_KEY_HEADER = 'x-cloop-site-key';
export const VISITOR_HEADER = 'x-cloop-visitor';

/** The CORS answer for one exact, allowed origin. */
export function allowCors(reply: FastifyReply, origin: string): void {
  void reply
    .header('Access-Control-Allow-Origin', origin)
    .header('Access-Control-Expose-Headers', 'Retry-After');
}
