import { createHash } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { DomainError } from '../common/domain-error';
import { RateLimitStore } from '../rate-limit/rate-limit.store';
import { RATE_LIMIT_SETTINGS, type RateLimitSettings } from '../rate-limit/rate-limits';

/**
 * Slows password guessing against one account from one address. Keyed by account *and* IP, so an
 * attacker elsewhere cannot lock the real user out.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly store: RateLimitStore,
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
  ) {}

  async assertAllowed(email: string, ip: string): Promise<void> {
    const decision = await this.store.check(this.key(email, ip), this.settings.loginFailures);
    if (!decision.allowed) {
      throw new DomainError('RATE_LIMITED', 'Too many failed sign-in attempts; try again later', {
        retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000),
      });
    }
  }

  recordFailure(email: string, ip: string): Promise<void> {
    return this.store.record(this.key(email, ip), this.settings.loginFailures);
  }

  forget(email: string, ip: string): Promise<void> {
    return this.store.reset(this.key(email, ip));
  }

  /** Hashed so the counters hold neither the email nor the address in the clear. */
  private key(email: string, ip: string): string {
    return `login:${createHash('sha256').update(`${email}\n${ip}`).digest('base64url')}`;
  }
}
