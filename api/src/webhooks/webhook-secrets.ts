import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

const FORMAT = 'v1';

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
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, '', 'cloop webhook secrets', 32));
  }

  encrypt(endpointId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(endpointId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [FORMAT, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** `null` when the value was not encrypted under this key (the JWT secret changed). */
  decrypt(endpointId: string, stored: string): string | null {
    const [format, iv, ciphertext, tag] = stored.split('.');
    if (format !== FORMAT || !iv || !ciphertext || !tag) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }
}
