import { DynamicModule, Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { REALTIME_OPTIONS, RealtimeGateway, type RealtimeOptions } from './realtime.gateway';

export type { RealtimeOptions };

/** The WebSocket endpoint, on top of the event bus. */
@Module({})
export class RealtimeModule {
  static forRoot(options: RealtimeOptions): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [AuthModule, AccessModule, ConversationsModule],
      providers: [{ provide: REALTIME_OPTIONS, useValue: options }, RealtimeGateway],
    };
  }
}
