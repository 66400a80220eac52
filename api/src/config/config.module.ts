import { DynamicModule, Global, Module } from '@nestjs/common';

import type { AnswerQueueLimits } from '../assistant/answer-queue';
import type { Schedule } from '../scheduling/scheduler';
import type { WebhookDeliverySettings } from '../webhooks/webhook-delivery.worker';
import type { AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * How this process runs beyond the environment: what `main.ts` turns on (the background work) and
 * what tests shorten or switch off. Chosen in code, never by an operator.
 */
export interface RuntimeSettings {
  /** How often realtime sockets are pinged and console sessions and subscriptions re-checked. */
  heartbeatMs: number;
  /** Background retention runs; `null`: off (tests and the command line run it by hand). */
  retentionSchedule: Schedule | null;
  /** Webhook deliveries; `null`: the routes without the delivery worker. */
  webhookDelivery: WebhookDeliverySettings | null;
  /** The assistant's queue of answers waiting to be written. */
  answerQueue: AnswerQueueLimits;
  /** A batch of the site-wide export ends at this many rows or bytes of row data, whichever first. */
  siteExportBatch: { rows: number; bytes: number };
  /** A single sign-on session is re-checked with its provider at refresh once this old (45 minutes). */
  ssoRecheckMs: number;
}

/**
 * The configuration the application runs with, its one provider (`APP_CONFIG`): the environment
 * read at boot with the secrets known by then (generated in embedded mode), and the runtime
 * settings.
 */
export type ResolvedConfig = AppConfig & { jwtSecret: string; auditKey: string; runtime: RuntimeSettings };

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
