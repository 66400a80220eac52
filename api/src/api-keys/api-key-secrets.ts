import { createHmac, hkdfSync, randomBytes } from 'node:crypto';

import { API_KEY_PREFIX } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

/** 32 random bytes: 256 bits, which no one guesses, so a fast hash is as safe here as a slow one. */
const SECRET_BYTES = 32;
/** `ck_` and six characters of the secret, shown in lists to tell keys apart. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
const SECRET_PATTERN = /^ck_[A-Za-z0-9_-]{43}$/;

/**
 * Makes API key secrets and the keyed hashes stored in their place (HMAC-SHA-256). The hash key is
 * derived from AUDIT_KEY, which must never change while the data lives, and not from JWT_SECRET,
 * which an operator may rotate: that would silently revoke every key. A database dump alone lets no
 * one check a guessed secret.
 */
@Injectable()
export class ApiKeySecrets {
  private readonly hashKey: Buffer;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.hashKey = Buffer.from(hkdfSync('sha256', config.auditKey, '', 'cloop api key hash v1', 32));
  }

  generate(): { secret: string; prefix: string; hash: string } {
    const secret = `${API_KEY_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
    return { secret, prefix: secret.slice(0, SHOWN_PREFIX_LENGTH), hash: this.hash(secret) };
  }

  /** `null` for a string that cannot be a key (no query is spent on it). */
  hashOf(presented: string): string | null {
    return SECRET_PATTERN.test(presented) ? this.hash(presented) : null;
  }

  private hash(secret: string): string {
    return createHmac('sha256', this.hashKey).update(secret).digest('hex');
  }
}

/** Whether an `Authorization` header carries an API key rather than a console access token. */
export function isApiKeyAuthorization(header: string | undefined): boolean {
  return header !== undefined && /^Bearer ck_/i.test(header);
}
