import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { RealtimeGateway } from './realtime.gateway';

/** The WebSocket endpoint, on top of the event bus. */
@Module({
  imports: [AuthModule, AccessModule, ConversationsModule],
  providers: [RealtimeGateway],
})
export class RealtimeModule {}
