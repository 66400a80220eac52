import { Inject, Injectable } from '@nestjs/common';

import { normalizeEmail } from '../common/identifiers';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { RateLimitKeys } from '../rate-limit/rate-limit-keys';
import { RateLimitStore } from '../rate-limit/rate-limit.store';

/**
 * How many invitation, confirmation and reset messages one address may be sent per window
 * (`RATE_LIMITS.mailPerAddress`), whoever asks and from wherever: the per-IP `mail` group does not
 * stop many clients from filling one inbox. Counted for addresses with and without an account
 * alike, so being limited tells nothing about who has one. Keys hold a keyed hash, not the address.
 */
@Injectable()
export class MailBudget {
  constructor(
    private readonly store: RateLimitStore,
    private readonly keys: RateLimitKeys,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /** Counts one message to `email`; `false` when the address had its share for now. */
  async take(email: string): Promise<boolean> {
    const key = this.keys.forSubject('mail-address', normalizeEmail(email));
    return (await this.store.consume(key, this.config.rateLimits.mailPerAddress)).allowed;
  }
}
