import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { AccessCacheModule } from './access-cache.module';
import { AccessGuard } from './access.guard';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { WidgetAccess } from './widget-access';

@Module({
  imports: [AuthModule, AccessCacheModule],
  providers: [AccessRepository, AccessService, WidgetAccess, AccessGuard],
  exports: [AccessCacheModule, AccessService, AccessRepository, WidgetAccess, AccessGuard],
})
export class AccessModule {}
