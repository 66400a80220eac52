import { randomBytes, randomUUID } from 'node:crypto';

import type { ResolvedConfig } from '../config/config.module';
import { type MailEnvelope, MailEnvelopes } from './mail-envelopes';

const envelopesUnder = (jwtSecret: string) => new MailEnvelopes({ jwtSecret } as ResolvedConfig);

describe('mail envelopes', () => {
  const envelope: MailEnvelope = {
    to: 'grace@example.test',
    locale: 'fi',
    content: {
      kind: 'password-reset',
      name: 'Grace',
      link: 'https://cloop.example.test/console/reset-password#token=secret-token-value',
    },
  };

  it('hides the address and the link, and opens only for the same row under the same secret', () => {
    const jwtSecret = randomBytes(32).toString('base64url');
    const rowId = randomUUID();
    const sealed = envelopesUnder(jwtSecret).seal(rowId, envelope);

    for (const clear of ['grace@example.test', 'secret-token-value', 'reset-password', 'Grace']) {
      expect(sealed).not.toContain(clear);
    }
    expect(envelopesUnder(jwtSecret).open(rowId, sealed)).toEqual(envelope);
    expect(envelopesUnder(jwtSecret).open(randomUUID(), sealed)).toBeNull();
    expect(envelopesUnder(randomBytes(32).toString('base64url')).open(rowId, sealed)).toBeNull();
  });
});
