import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { AccessGuard } from './access.guard';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { WidgetAccess } from './widget-access';
import { WidgetSiteCache } from './widget-site-cache';

@Module({
  imports: [AuthModule],
  providers: [AccessRepository, AccessService, WidgetSiteCache, WidgetAccess, AccessGuard],
  exports: [AccessService, AccessRepository, WidgetSiteCache, WidgetAccess, AccessGuard],
})
export class AccessModule {}
