import { createHmac, randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { SealedValues } from '../common/sealed-values';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

/** 256 random bits, prefixed so that a leaked one is recognisable in logs and secret scanners. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as docs/webhooks.md describes. */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

/**
 * Keeps signing secrets encrypted at rest. Cloop must know each secret to sign with it, so it cannot
 * store a hash; AES-256-GCM under a key derived from the JWT secret means a database dump or backup
 * alone does not reveal them. The endpoint id is the associated data: a ciphertext copied to
 * another row does not decrypt. Replacing `JWT_SECRET` makes stored secrets unreadable: deliveries
 * then fail until each secret is rotated.
 */
@Injectable()
export class WebhookSecrets {
  private readonly sealed: SealedValues;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.sealed = new SealedValues(config.jwtSecret, 'cloop webhook secrets');
  }

  encrypt(endpointId: string, secret: string): string {
    return this.sealed.seal(endpointId, secret);
  }

  /** `null` when the value was not encrypted under this key (the JWT secret changed). */
  decrypt(endpointId: string, stored: string): string | null {
    return this.sealed.open(endpointId, stored);
  }
}
