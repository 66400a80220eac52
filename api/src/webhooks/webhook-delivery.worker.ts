import {
  WEBHOOK_DELIVERY_ID_HEADER,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_EVENT_TYPE_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookAttempt,
  type WebhookEvent,
} from '@cloop/contracts';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { describeFailure } from '../database/describe-failure';
import { signatureHeader, WebhookSecrets } from './webhook-secrets';
import { postWebhook, type WebhookResponse } from './webhook-sender';
import { type AttemptOutcome, type ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

export interface WebhookDeliverySettings {
  /** How long the worker sleeps when nothing is due. */
  pollMs: number;
  /** The wait after each failed attempt; a delivery gets `length + 1` attempts, then fails. */
  retryDelaysMs: readonly number[];
  /** Per attempt: a receiver must answer within this. */
  timeoutMs: number;
  /** Deliveries claimed and sent at a time, per process. */
  batchSize: number;
}

const MINUTE = 60_000;
/** 7 attempts over about 31 hours: 30 s, 2 min, 10 min, 1 h, 6 h and 24 h after each failure. */
export const DEFAULT_WEBHOOK_DELIVERY: WebhookDeliverySettings = {
  pollMs: 1000,
  retryDelaysMs: [30_000, 2 * MINUTE, 10 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE, 24 * 60 * MINUTE],
  timeoutMs: 10_000,
  batchSize: 10,
};

/**
 * Sends due deliveries in the background, in every replica: claims are `SKIP LOCKED`, so each
 * delivery is attempted by one process at a time. An attempt is a success on a 2xx answer; any
 * other answer, a timeout or a refused connection schedules the next attempt. Shutdown stops
 * claiming and cuts attempts in flight short, handing them back as due.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /** `null`: the worker is off (the routes work without it). */
  private get settings(): WebhookDeliverySettings | null {
    return this.config.runtime.webhookDelivery;
  }

  onApplicationBootstrap(): void {
    if (this.settings) this.plan(this.settings.pollMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private plan(delayMs: number): void {
    if (this.shutdown.signal.aborted || !this.settings) return;
    const { pollMs } = this.settings;
    this.timer = setTimeout(() => {
      this.running = this.deliverDue()
        .catch((error: unknown) => {
          this.logger.error(`delivery round failed: ${describeFailure(error)}`);
          return false;
        })
        .then((more) => {
          this.running = null;
          // A full batch means more may be due: go on at once.
          this.plan(more ? 0 : pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** One round; `true` if the batch was full. */
  private async deliverDue(): Promise<boolean> {
    const settings = this.settings;
    if (!settings) return false;
    const claimed = await this.webhooks.claimDue(settings.batchSize, settings.timeoutMs + 20_000);
    await Promise.all(claimed.map((delivery) => this.deliver(delivery, settings)));
    return claimed.length === settings.batchSize;
  }

  private async deliver(delivery: ClaimedDelivery, settings: WebhookDeliverySettings): Promise<void> {
    const started = Date.now();
    const response = await this.send(delivery, settings);
    const attempt: WebhookAttempt = {
      at: new Date(started).toISOString(),
      statusCode: response.statusCode,
      error: response.error,
      durationMs: Date.now() - started,
    };
    const outcome = this.outcomeOf(delivery, response, settings);
    if (outcome.kind === 'failed') {
      this.logger.warn(
        `delivery ${delivery.id} to endpoint ${delivery.endpoint_id} failed for good after ${delivery.attempts} attempts`,
      );
    }
    await this.webhooks.recordAttempt(delivery, attempt, outcome);
  }

  private send(delivery: ClaimedDelivery, settings: WebhookDeliverySettings): Promise<WebhookResponse> {
    const secret = this.secrets.decrypt(delivery.endpoint_id, delivery.secret_encrypted);
    if (secret === null) {
      return Promise.resolve({
        statusCode: null,
        error: 'The signing secret cannot be read (JWT_SECRET changed?): rotate the secret',
      });
    }
    const event: WebhookEvent = {
      id: delivery.event_id,
      type: delivery.event_type as WebhookEvent['type'],
      createdAt: delivery.created_at.toISOString(),
      siteId: delivery.site_id,
      data: delivery.payload,
    };
    const body = JSON.stringify(event);
    return postWebhook({
      url: delivery.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': `Cloop-Webhooks/1.0 (+${this.config.publicUrl})`,
        [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(Date.now() / 1000), body),
        [WEBHOOK_EVENT_ID_HEADER]: delivery.event_id,
        [WEBHOOK_EVENT_TYPE_HEADER]: delivery.event_type,
        [WEBHOOK_DELIVERY_ID_HEADER]: delivery.id,
      },
      timeoutMs: settings.timeoutMs,
      allowPrivateNetworks: this.config.crawlPrivateNetworks,
      signal: this.shutdown.signal,
    });
  }

  private outcomeOf(
    delivery: ClaimedDelivery,
    response: WebhookResponse,
    settings: WebhookDeliverySettings,
  ): AttemptOutcome {
    if (this.shutdown.signal.aborted && response.statusCode === null) return { kind: 'released' };
    if (response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300) {
      return { kind: 'succeeded' };
    }
    const delay = settings.retryDelaysMs[delivery.attempts - 1];
    return delay === undefined ? { kind: 'failed' } : { kind: 'retry', afterMs: delay };
  }
}
