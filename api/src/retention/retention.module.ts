import { Module } from '@nestjs/common';

import { ConversationsModule } from '../conversations/conversations.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { RetentionRepository } from './retention.repository';
import { RetentionScheduler } from './retention.scheduler';
import { RetentionService } from './retention.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule, ConversationsModule, SchedulingModule, WebhookOutboxModule],
  providers: [RetentionRepository, RetentionService, RetentionScheduler],
  exports: [RetentionService],
})
export class RetentionModule {}
