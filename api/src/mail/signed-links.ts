import { createHmac, timingSafeEqual } from 'node:crypto';

/** The shape of a token: `payload.signature`, both base64url (input validation only). */
export const SIGNED_TOKEN = /^[A-Za-z0-9_-]{1,1500}\.[A-Za-z0-9_-]{43}$/;

/**
 * Stateless signed tokens for links in e-mail: `payload.signature`, both base64url, HMAC-SHA256
 * with a key derived from the JWT secret for this purpose only. A changed byte, a token of
 * another purpose or an expired one reads as `null`; single use is the caller's business (the
 * state it changes, such as an invitation row that is gone once taken up).
 */
export class SignedLinks {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('cloop:mail-links:v1').digest();
  }

  sign(purpose: string, claims: Record<string, string>, expiresAt: Date): string {
    const payload = Buffer.from(
      JSON.stringify({ p: purpose, e: Math.floor(expiresAt.getTime() / 1000), c: claims }),
    ).toString('base64url');
    return `${payload}.${this.signature(payload)}`;
  }

  verify(purpose: string, token: string, now = Date.now()): Record<string, string> | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.signature(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        p?: unknown;
        e?: unknown;
        c?: unknown;
      };
      if (parsed.p !== purpose || typeof parsed.e !== 'number' || parsed.e * 1000 <= now) return null;
      if (typeof parsed.c !== 'object' || parsed.c === null) return null;
      return parsed.c as Record<string, string>;
    } catch {
      return null;
    }
  }

  private signature(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
