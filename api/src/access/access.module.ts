import { Module } from '@nestjs/common';

import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuthModule } from '../auth/auth.module';
import { AccessCacheModule } from './access-cache.module';
import { AccessGuard } from './access.guard';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { AppPassport } from './app-passport';
import { WidgetSiteCache } from './widget-site-cache';
import { WidgetSiteStrategy } from './widget-site.strategy';
import { WidgetVisitorStrategy } from './widget-visitor.strategy';
import { EventBusModule } from '../events/event-bus.module';

@Module({
  imports: [EventBusModule, AuthModule, ApiKeysModule, AccessCacheModule],
  providers: [
    AccessRepository,
    AccessService,
    WidgetSiteCache,
    WidgetSiteStrategy,
    WidgetVisitorStrategy,
    AppPassport,
    AccessGuard,
  ],
  exports: [
    AccessCacheModule,
    AccessService,
    AccessRepository,
    WidgetSiteCache,
    WidgetSiteStrategy,
    AccessGuard,
  ],
})
export class AccessModule {}
