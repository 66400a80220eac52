import { createHmac, randomBytes } from 'node:crypto';

import type { ResolvedConfig } from '../config/config.module';
import { newWebhookSecret, signatureHeader, WebhookSecrets } from './webhook-secrets';

const secretsUnder = (jwtSecret: string) => new WebhookSecrets({ jwtSecret } as ResolvedConfig);

describe('webhook secrets', () => {
  it('issues prefixed secrets with 256 random bits, never the same twice', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs "<t>.<body>" with HMAC-SHA256 in the documented header form', () => {
    const body = '{"id":"e1","type":"lead.captured"}';
    const expected = createHmac('sha256', 'whsec_x').update(`1764403200.${body}`).digest('hex');
    expect(signatureHeader('whsec_x', 1764403200, body)).toBe(`t=1764403200,v1=${expected}`);
  });

  it('stores a secret encrypted, readable only under the same JWT secret and for the same endpoint', () => {
    const jwtSecret = randomBytes(32).toString('base64url');
    const secrets = secretsUnder(jwtSecret);
    const secret = newWebhookSecret();
    const stored = secrets.encrypt('endpoint-1', secret);

    expect(stored).not.toContain(secret.slice(6));
    expect(stored).not.toBe(secrets.encrypt('endpoint-1', secret)); // a fresh IV each time
    expect(secretsUnder(jwtSecret).decrypt('endpoint-1', stored)).toBe(secret);
    expect(secrets.decrypt('endpoint-2', stored)).toBeNull();
    expect(secretsUnder(randomBytes(32).toString('base64url')).decrypt('endpoint-1', stored)).toBeNull();
    // Flip the first character of the ciphertext: all six of its bits are data (the last character's
    // may be padding, which decodes the same).
    const [format, iv, ciphertext = '', tag] = stored.split('.');
    const flipped = (ciphertext.startsWith('A') ? 'B' : 'A') + ciphertext.slice(1);
    expect(secrets.decrypt('endpoint-1', [format, iv, flipped, tag].join('.'))).toBeNull();
    expect(secrets.decrypt('endpoint-1', 'garbage')).toBeNull();
  });
});
