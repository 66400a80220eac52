import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { FrameHandler } from './frame-handler';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAdmission } from './socket-admission';
import { SocketAuthentication } from './socket-authentication';

/** The WebSocket endpoint, on top of the event bus. */
@Module({
  imports: [AuthModule, AccessModule, ConversationsModule],
  providers: [SocketAdmission, SocketAuthentication, FrameHandler, RealtimeGateway],
})
export class RealtimeModule {}
