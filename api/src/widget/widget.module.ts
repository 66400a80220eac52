import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { AssistantModule } from '../assistant/assistant.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { WidgetPreflightController } from './widget-preflight.controller';
import { WidgetController } from './widget.controller';
import { WidgetService } from './widget.service';
import { RateLimitModule } from '../rate-limit/rate-limit.module';

@Module({
  imports: [RateLimitModule, AccessModule, AssistantModule, ConversationsModule],
  controllers: [WidgetController, WidgetPreflightController],
  providers: [WidgetService],
})
export class WidgetModule {}
