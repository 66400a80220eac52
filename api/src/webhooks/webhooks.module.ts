import { type DynamicModule, Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import {
  WEBHOOK_DELIVERY_SETTINGS,
  WebhookDeliveryWorker,
  type WebhookDeliverySettings,
} from './webhook-delivery.worker';
import { WebhookOutboxModule } from './webhook-outbox.module';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({})
export class WebhooksModule {
  /** `null` settings: the routes without the delivery worker. */
  static forRoot(settings: WebhookDeliverySettings | null): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [AccessModule, WebhookOutboxModule],
      controllers: [WebhooksController],
      providers: [
        WebhooksService,
        WebhookSecrets,
        WebhookDeliveryWorker,
        { provide: WEBHOOK_DELIVERY_SETTINGS, useValue: settings },
      ],
    };
  }
}
