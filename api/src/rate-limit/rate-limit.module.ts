import { DynamicModule, Global, Module } from '@nestjs/common';

import { RateLimitKeys } from './rate-limit-keys';
import { RateLimitGuard } from './rate-limit.guard';
import { MemoryRateLimitStore, RateLimitStore } from './rate-limit.store';
import { RATE_LIMIT_SETTINGS, type RateLimitSettings } from './rate-limits';

@Global()
@Module({})
export class RateLimitModule {
  static forRoot(settings: RateLimitSettings): DynamicModule {
    return {
      module: RateLimitModule,
      providers: [
        { provide: RATE_LIMIT_SETTINGS, useValue: settings },
        { provide: RateLimitStore, useFactory: () => new MemoryRateLimitStore() },
        RateLimitKeys,
        RateLimitGuard,
      ],
      exports: [RATE_LIMIT_SETTINGS, RateLimitStore, RateLimitKeys, RateLimitGuard],
    };
  }
}
