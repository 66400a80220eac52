import { Global, Module } from '@nestjs/common';

import { EventBus, InProcessEventBus } from './event-bus';

@Global()
@Module({
  providers: [{ provide: EventBus, useFactory: () => new InProcessEventBus() }],
  exports: [EventBus],
})
export class RealtimeModule {}
