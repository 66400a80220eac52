import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { RateLimitKeys } from './rate-limit-keys';
import { RateLimitGuard } from './rate-limit.guard';
import { MemoryRateLimitStore, RateLimitStore } from './rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

@Injectable()
class RateLimitStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(RateLimitStore) private readonly store: RateLimitStore) {}

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}

/** Counters in Redis when `REDIS_URL` is set (shared by every replica), otherwise in this process. */
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig): Promise<RateLimitStore> | RateLimitStore =>
        config.redisUrl ? RedisRateLimitStore.connect(config.redisUrl) : new MemoryRateLimitStore(),
    },
    RateLimitStoreCloser,
    RateLimitKeys,
    RateLimitGuard,
  ],
  exports: [RateLimitStore, RateLimitKeys, RateLimitGuard],
})
export class RateLimitModule {}
