import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookOutboxModule } from './webhook-outbox.module';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule, AccessModule, WebhookOutboxModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhooksRepository, WebhookSecrets, WebhookDeliveryWorker],
})
export class WebhooksModule {}
