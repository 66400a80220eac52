import { type DynamicModule, Module } from '@nestjs/common';

import { ConversationsModule } from '../conversations/conversations.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { RetentionRepository } from './retention.repository';
import { RETENTION_SCHEDULE, type RetentionSchedule, RetentionScheduler } from './retention.scheduler';
import { RetentionService } from './retention.service';

@Module({})
export class RetentionModule {
  static forRoot(schedule: RetentionSchedule | null): DynamicModule {
    return {
      module: RetentionModule,
      imports: [ConversationsModule, SchedulingModule, WebhookOutboxModule],
      providers: [
        RetentionRepository,
        RetentionService,
        RetentionScheduler,
        { provide: RETENTION_SCHEDULE, useValue: schedule },
      ],
      exports: [RetentionService],
    };
  }
}
