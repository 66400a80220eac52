import { Module } from '@nestjs/common';

import { AccessCacheModule } from './access-cache.module';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { WidgetSiteCache } from './widget-site-cache';
import { WidgetSiteStrategy } from './widget-site.strategy';
import { WidgetVisitorStrategy } from './widget-visitor.strategy';
import { EventBusModule } from '../events/event-bus.module';

@Module({
  imports: [EventBusModule, AccessCacheModule],
  providers: [AccessRepository, AccessService, WidgetSiteCache, WidgetSiteStrategy, WidgetVisitorStrategy],
  exports: [AccessCacheModule, AccessService, WidgetSiteCache, WidgetSiteStrategy, WidgetVisitorStrategy],
})
export class AccessModule {}
