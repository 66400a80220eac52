import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { FrameHandler } from './frame-handler';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAdmission } from './socket-admission';
import { SocketAuthentication } from './socket-authentication';
import { EventBusModule } from '../events/event-bus.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';

/** The WebSocket endpoint, on top of the event bus. */
@Module({
  imports: [RateLimitModule, LifecycleModule, EventBusModule, AuthModule, AccessModule, ConversationsModule],
  providers: [SocketAdmission, SocketAuthentication, FrameHandler, RealtimeGateway],
})
export class RealtimeModule {}
