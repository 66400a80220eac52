import { randomUUID } from 'node:crypto';

import type { MailLocale } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import type { Tx } from '../database/transactions';
import { MailEnvelopes } from './mail-envelopes';
import { MailOutboxRepository } from './mail-outbox.repository';
import type { MailContent } from './messages';

/**
 * Sends e-mail in the background: `send` writes the message to the outbox (in the caller's
 * transaction when given one) and returns, so a request never waits for, nor fails with, the SMTP
 * server, and a message the app acknowledged survives a restart. The delivery worker of the
 * server process sends it (the command line queues but never sends). The recipient and the links
 * are sealed in the row (see docs/architecture.md, "E-mail").
 */
@Injectable()
export class Mailer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly outbox: MailOutboxRepository,
    private readonly envelopes: MailEnvelopes,
  ) {}

  /** The worker of this process, when it runs one: told of new mail, waited on by `idle`. */
  private worker: OutboxWorker | null = null;

  attach(worker: OutboxWorker): void {
    this.worker = worker;
  }

  get enabled(): boolean {
    return this.config.mail !== null;
  }

  /** Queues one message; does nothing when e-mail is off. Never waits for SMTP. */
  async send(to: string, locale: MailLocale, content: MailContent, tx?: Tx): Promise<void> {
    if (!this.enabled) return;
    const id = randomUUID();
    await this.outbox.insert(
      { id, kind: content.kind, envelope: this.envelopes.seal(id, { to, locale, content }) },
      tx,
    );
    // In a transaction the row is not visible yet: the next poll, within a second, finds it.
    if (!tx) this.worker?.wake();
  }

  /**
   * The same work as {@link send} (sealing, one write) with nothing written: a path that sends no
   * mail, such as a reset asked for an unknown address, must take as long as one that does.
   */
  async sendNothing(locale: MailLocale, content: MailContent): Promise<void> {
    const id = randomUUID();
    const envelope = this.envelopes.seal(id, { to: '', locale, content });
    await this.outbox.insertNothing({ id, kind: content.kind, envelope });
  }

  /** Resolves once nothing due is left in the outbox (tests wait on it). */
  idle(): Promise<void> {
    return this.worker?.idle() ?? Promise.resolve();
  }
}

export interface OutboxWorker {
  wake(): void;
  idle(): Promise<void>;
}
