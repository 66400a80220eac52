import type { IncomingMessage } from 'node:http';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { RateLimitKeys } from '../rate-limit/rate-limit-keys';
import { RateLimitStore } from '../rate-limit/rate-limit.store';

/** Whether a new socket may open: new sockets per client address are rate-limited. */
@Injectable()
export class SocketAdmission {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly limits: RateLimitStore,
    private readonly keys: RateLimitKeys,
  ) {}

  /** `null` admits; a number is the wait in seconds. */
  async admit(request: IncomingMessage): Promise<number | null> {
    const ip = clientIp(request, this.config.trustProxyHops);
    const decision = await this.limits.consume(
      this.keys.forClient('realtime', ip),
      this.config.rateLimits.realtimeConnections,
    );
    return decision.allowed ? null : Math.ceil(decision.retryAfterMs / 1000);
  }
}

/**
 * The client's address for the connection limit, trusting `hops` proxies as Fastify does for
 * HTTP requests (upgrades bypass Fastify's request handling).
 */
function clientIp(request: IncomingMessage, hops: number): string {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const chain = [...forwarded, request.socket.remoteAddress ?? ''];
  return chain[Math.max(0, chain.length - 1 - hops)] ?? '';
}
