import { Module } from '@nestjs/common';

import { AccessCache } from './access-cache';
import { EventBusModule } from '../events/event-bus.module';

/**
 * The access decision cache and the membership-change notice that invalidates it, apart from
 * `AccessModule` so that the organizations feature, which makes the changes, can announce them
 * without importing authentication (which imports organizations).
 */
@Module({
  imports: [EventBusModule],
  providers: [AccessCache],
  exports: [AccessCache],
})
export class AccessCacheModule {}
