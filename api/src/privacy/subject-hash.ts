import { createHmac } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import type { PrivacySubjectKind } from '@cloop/contracts';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

/**
 * Keyed hashes of request subjects for the ledger: the same subject always gives the same hash
 * (a repeated request is recognisable), but the ledger alone names nobody.
 */
@Injectable()
export class SubjectHasher {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.key = createHmac('sha256', config.jwtSecret).update('cloop privacy subject').digest();
  }

  /** `scope` is the site for visitors and emails, empty for accounts. */
  hash(kind: PrivacySubjectKind, scope: string, value: string): string {
    return createHmac('sha256', this.key).update([kind, scope, value].join('\n')).digest('hex');
  }
}
