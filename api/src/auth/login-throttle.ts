import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { RateLimitKeys } from '../rate-limit/rate-limit-keys';
import { RateLimitStore } from '../rate-limit/rate-limit.store';

/**
 * Slows password guessing against one account from one address. Keyed by account *and* client, so
 * an attacker elsewhere cannot lock the real user out.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly store: RateLimitStore,
    private readonly keys: RateLimitKeys,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /**
   * Counts the attempt before the password is checked, so a burst of parallel guesses cannot all
   * slip in while the first ones are still hashing. A success calls `succeeded` to clear the count.
   */
  async attempt(account: string, ip: string): Promise<void> {
    await this.store.enforce(
      this.key(account, ip),
      this.config.rateLimits.loginFailures,
      'Too many failed password attempts; try again later',
    );
  }

  succeeded(account: string, ip: string): Promise<void> {
    return this.store.reset(this.key(account, ip));
  }

  private key(account: string, ip: string): string {
    return this.keys.forClient('password', ip, account);
  }
}
