import type { MailLocale } from '@cloop/contracts';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { type MailContent, renderMail } from './messages';

/** Waits before each retry of a message the SMTP server did not take: about 20 minutes in all. */
export const MAIL_RETRY_DELAYS_MS = [1_000, 4_000, 15_000, 60_000, 300_000, 900_000];
/** Messages waiting at once; beyond this new ones are dropped (and counted in the log). */
const MAX_QUEUED = 10_000;

interface Queued {
  to: string;
  locale: MailLocale;
  content: MailContent;
  attempts: number;
}

/**
 * Sends e-mail in the background: `send` only queues and returns, so a request never waits for,
 * nor fails with, the SMTP server. A message the server refuses or cannot take is retried on
 * {@link MAIL_RETRY_DELAYS_MS}, then given up. The queue is in memory on purpose (see
 * docs/architecture.md, "E-mail"): reset and invitation links must never be stored in clear, and
 * every message is one the user can ask for again.
 *
 * Logs name the kind of message and the attempt, never an address, a subject or a body.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter | null;
  private readonly from: string;
  private readonly queue: Queued[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private sending = false;
  private stopped = false;
  /** Resolves when the queue is empty and nothing is being sent (tests wait on it). */
  private idleWaiters: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.from = config.mail?.from ?? '';
    this.transport = config.mail ? createTransport(withTimeouts(config.mail.smtpUrl)) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** Queues one message; does nothing when e-mail is off. Never throws, never waits. */
  send(to: string, locale: MailLocale, content: MailContent): void {
    if (!this.transport || this.stopped) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.logger.warn(`mail queue full: a ${content.kind} message was dropped`);
      return;
    }
    this.queue.push({ to, locale, content, attempts: 0 });
    void this.drain();
  }

  /** Resolves once every queued message was sent or is waiting for a retry. */
  idle(): Promise<void> {
    if (!this.sending && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.transport?.close();
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let next = this.queue.shift(); next && !this.stopped; next = this.queue.shift()) {
        await this.deliver(next);
      }
    } finally {
      this.sending = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async deliver(item: Queued): Promise<void> {
    const message = renderMail(item.content, item.locale);
    try {
      await this.transport?.sendMail({ from: this.from, to: item.to, ...message });
    } catch (error) {
      const delay = MAIL_RETRY_DELAYS_MS[item.attempts];
      const reason = describe(error);
      if (delay === undefined) {
        this.logger.error(
          `gave up a ${item.content.kind} message after ${item.attempts + 1} attempts (${reason})`,
        );
        return;
      }
      this.logger.warn(`could not send a ${item.content.kind} message (${reason}); retrying in ${delay} ms`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.stopped) return;
        this.queue.push({ ...item, attempts: item.attempts + 1 });
        void this.drain();
      }, delay);
      timer.unref();
      this.timers.add(timer);
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
