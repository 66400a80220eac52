import type { MailLocale } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import { SealedValues } from '../common/sealed-values';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import type { MailContent } from './messages';

/** Everything needed to rebuild one message: whom to, in which language, with which links. */
export interface MailEnvelope {
  to: string;
  locale: MailLocale;
  content: MailContent;
}

/**
 * Seals a waiting message for the outbox: its links carry one-time tokens and its recipient is a
 * person's address, neither of which may sit readable in the database or its backups. The row id
 * is the associated data, so a sealed envelope copied to another row does not open.
 */
@Injectable()
export class MailEnvelopes {
  private readonly sealed: SealedValues;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.sealed = new SealedValues(config.jwtSecret, 'cloop mail outbox');
  }

  seal(rowId: string, envelope: MailEnvelope): string {
    return this.sealed.seal(rowId, JSON.stringify(envelope));
  }

  /** `null` when it was sealed under another JWT secret: the message cannot be rebuilt. */
  open(rowId: string, stored: string): MailEnvelope | null {
    const opened = this.sealed.open(rowId, stored);
    return opened === null ? null : (JSON.parse(opened) as MailEnvelope);
  }
}
