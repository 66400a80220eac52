import { Module } from '@nestjs/common';

import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { JobLock } from './job-lock';
import { JobLockRepository } from './job-lock.repository';
import { Scheduler } from './scheduler';

/** Background jobs that run once across replicas: `JobLock` for any work, `Scheduler` for periodic. */
@Module({
  imports: [LifecycleModule],
  providers: [JobLockRepository, JobLock, Scheduler],
  exports: [JobLock, Scheduler],
})
export class SchedulingModule {}
