import { Module } from '@nestjs/common';

import { MailModule } from '../mail/mail.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { MessageAppendRepository } from './message-append.repository';
import { MessagesRepository } from './messages.repository';
import { VisitorConversations } from './visitor-conversations';
import { VisitorsRepository } from './visitors.repository';
import { AuditModule } from '../audit/audit.module';
import { EventBusModule } from '../events/event-bus.module';

@Module({
  imports: [EventBusModule, AuditModule, WebhookOutboxModule, MailModule],
  controllers: [InboxController],
  providers: [
    ConversationsService,
    InboxService,
    ConversationsRepository,
    MessagesRepository,
    MessageAppendRepository,
    VisitorsRepository,
    VisitorConversations,
  ],
  exports: [ConversationsService, VisitorConversations],
})
export class ConversationsModule {}
