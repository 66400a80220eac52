import { Module } from '@nestjs/common';

import { WebhookOutbox } from './webhook-outbox';
import { WebhooksRepository } from './webhooks.repository';

/**
 * What modules that change conversations need to queue events: no controller, no worker, so the
 * command line and the conversation modules can import it without starting deliveries. The
 * repository is not exported: `WebhooksModule` provides its own (it holds no state).
 */
@Module({
  providers: [WebhookOutbox, WebhooksRepository],
  exports: [WebhookOutbox],
})
export class WebhookOutboxModule {}
