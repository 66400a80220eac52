import { Module } from '@nestjs/common';

import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';
import { RedisHealth } from './redis-health';
import { LifecycleModule } from '../lifecycle/lifecycle.module';

/** `/api/health` (liveness) and `/api/ready` (readiness) for orchestrators and load balancers. */
@Module({
  imports: [LifecycleModule],
  controllers: [HealthController],
  providers: [ReadinessService, RedisHealth],
})
export class HealthModule {}
