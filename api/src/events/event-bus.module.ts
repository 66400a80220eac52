import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { EventBus, InProcessEventBus } from './event-bus';
import { RedisEventBus } from './redis-event-bus';

@Injectable()
class EventBusCloser implements OnApplicationShutdown {
  constructor(@Inject(EventBus) private readonly bus: EventBus) {}

  onApplicationShutdown(): Promise<void> {
    return this.bus.close();
  }
}

/** Redis pub/sub when `REDIS_URL` is set, otherwise in-process: the same interface either way. */
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig): Promise<EventBus> | EventBus =>
        config.redisUrl ? RedisEventBus.connect(config.redisUrl) : new InProcessEventBus(),
    },
    EventBusCloser,
  ],
  exports: [EventBus],
})
export class EventBusModule {}
