import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { describeFailure } from '../database/describe-failure';
import { MailEnvelopes } from './mail-envelopes';
import { type ClaimedMail, MailOutboxRepository } from './mail-outbox.repository';
import { Mailer, type OutboxWorker } from './mailer';
import { renderMail } from './messages';

/** Waits before each retry of a message the SMTP server did not take: about 20 minutes in all. */
export const MAIL_RETRY_DELAYS_MS = [1_000, 4_000, 15_000, 60_000, 300_000, 900_000];
/** How long the worker sleeps when nothing is due. */
const POLL_MS = 1_000;
/** Messages claimed and sent at a time, per process. */
const BATCH_SIZE = 10;
/** A claimed message is due again after this if its process died: longer than every SMTP timeout. */
const LEASE_MS = 60_000;

/**
 * Sends what the outbox holds, in every replica: claims are `SKIP LOCKED`, so each message is
 * attempted by one process at a time, and a message survives the restart of the process that
 * accepted it. A message the server refuses or cannot take is retried on
 * {@link MAIL_RETRY_DELAYS_MS}, then given up; either way its row is then deleted.
 *
 * Logs name the kind of message and the attempt, never an address, a subject or a body.
 */
@Injectable()
export class MailDeliveryWorker
  implements OutboxWorker, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter | null;
  private readonly from: string;
  private timer: NodeJS.Timeout | null = null;
  /** Rounds run one after another in this process (a wake-up or `idle()` queues behind one). */
  private rounds: Promise<unknown> = Promise.resolve();
  private woken = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) config: ResolvedConfig,
    private readonly outbox: MailOutboxRepository,
    private readonly envelopes: MailEnvelopes,
    mailer: Mailer,
  ) {
    mailer.attach(this);
    this.from = config.mail?.from ?? '';
    this.transport = config.mail ? createTransport(withTimeouts(config.mail.smtpUrl)) : null;
  }

  onApplicationBootstrap(): void {
    // Soon after boot: what a stopped process left behind goes out without waiting for new mail.
    this.plan(0);
  }

  /** A message was queued: look for it now rather than at the next poll. */
  wake(): void {
    if (this.timer) this.plan(0);
    else this.woken = true;
  }

  /** Resolves once nothing due is left: each message sent, or waiting for a retry. */
  async idle(): Promise<void> {
    while ((await this.round()) > 0) {
      // A full or partial batch went out; others may have become due meanwhile.
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.rounds;
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private plan(delayMs: number): void {
    if (this.stopped || !this.transport) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.woken = false;
      void this.round().then((claimed) => this.plan(claimed === BATCH_SIZE || this.woken ? 0 : POLL_MS));
    }, delayMs);
    // A pending round never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Claims and sends one batch after the rounds before it; the number claimed. */
  private round(): Promise<number> {
    const next = this.rounds.then(() => this.deliverDue());
    this.rounds = next;
    return next;
  }

  private async deliverDue(): Promise<number> {
    if (this.stopped || !this.transport) return 0;
    try {
      const claimed = await this.outbox.claimDue(BATCH_SIZE, LEASE_MS);
      await Promise.all(claimed.map((mail) => this.deliver(mail)));
      return claimed.length;
    } catch (error) {
      this.logger.error(`mail round failed: ${describeFailure(error)}`);
      return 0;
    }
  }

  private async deliver(mail: ClaimedMail): Promise<void> {
    const envelope = this.envelopes.open(mail.id, mail.envelope);
    if (!envelope) {
      this.logger.error(`dropped a ${mail.kind} message sealed under another JWT secret`);
      await this.outbox.delete(mail.id);
      return;
    }
    const message = renderMail(envelope.content, envelope.locale);
    try {
      await this.transport?.sendMail({ from: this.from, to: envelope.to, ...message });
      await this.outbox.delete(mail.id);
    } catch (error) {
      const delay = MAIL_RETRY_DELAYS_MS[mail.attempts - 1];
      const reason = describe(error);
      if (delay === undefined) {
        this.logger.error(`gave up a ${mail.kind} message after ${mail.attempts} attempts (${reason})`);
        await this.outbox.delete(mail.id);
        return;
      }
      this.logger.warn(`could not send a ${mail.kind} message (${reason}); retrying in ${delay} ms`);
      await this.outbox.retryLater(mail.id, delay, reason);
    }
  }
}

/** Short timeouts unless the URL sets its own: a stalled server must not hold the queue for minutes. */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [name, ms] of [
    ['connectionTimeout', '10000'],
    ['greetingTimeout', '10000'],
    ['socketTimeout', '20000'],
  ] as const) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, ms);
  }
  return url.toString();
}

/** The error's code or class, never its message: SMTP replies may quote the recipient. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown; responseCode?: unknown }).code;
  const responseCode = (error as { responseCode?: unknown }).responseCode;
  const name = error instanceof Error ? error.name : 'error';
  return [
    name,
    typeof code === 'string' ? code : null,
    typeof responseCode === 'number' ? responseCode : null,
  ]
    .filter((part) => part !== null)
    .join(' ');
}
