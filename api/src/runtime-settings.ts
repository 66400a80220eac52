import { DEFAULT_ANSWER_QUEUE_LIMITS } from './assistant/answer-queue';
import type { RuntimeSettings } from './config/config.module';

/**
 * The runtime settings with the background work off (no retention runs, no webhook deliveries),
 * unless `overrides` turn it on: what the command line and the OpenAPI generation run with, and
 * what the HTTP application starts from.
 */
export function runtimeSettings(overrides: Partial<RuntimeSettings> = {}): RuntimeSettings {
  return {
    heartbeatMs: 30_000,
    retentionSchedule: null,
    webhookDelivery: null,
    answerQueue: DEFAULT_ANSWER_QUEUE_LIMITS,
    // Fewer, larger batches cost less per row (each is one planned query); 8 MB of long messages
    // ends a batch early, so memory stays bounded whatever the rows hold.
    siteExportBatch: { rows: 10_000, bytes: 8 * 2 ** 20 },
    // 45 minutes: with 15-minute access tokens, access ends at most an hour after the provider's refusal.
    ssoRecheckMs: 45 * 60 * 1000,
    ...overrides,
  };
}
