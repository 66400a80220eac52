import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { AccessCacheModule } from './access-cache.module';
import { AccessGuard } from './access.guard';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { WidgetAccess } from './widget-access';
import { WidgetSiteCache } from './widget-site-cache';

@Module({
  imports: [AuthModule, AccessCacheModule],
  providers: [AccessRepository, AccessService, WidgetSiteCache, WidgetAccess, AccessGuard],
  exports: [AccessCacheModule, AccessService, AccessRepository, WidgetSiteCache, WidgetAccess, AccessGuard],
})
export class AccessModule {}
