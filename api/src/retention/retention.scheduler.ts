import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import { type Schedule, Scheduler } from '../scheduling/scheduler';
import { RetentionService } from './retention.service';

export type RetentionSchedule = Schedule;

export const RETENTION_SCHEDULE = Symbol('RETENTION_SCHEDULE');

/** The job's name in `scheduled_jobs` and `scheduled_job_runs`. */
export const RETENTION_JOB = 'retention';

/**
 * Runs retention in the background, once per period across all replicas; off when no schedule is
 * given (tests run it by hand). A run stops between batches when the process shuts down.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly retention: RetentionService,
    private readonly scheduler: Scheduler,
    @Inject(RETENTION_SCHEDULE) private readonly schedule: RetentionSchedule | null,
  ) {}

  onApplicationBootstrap(): void {
    if (this.schedule) {
      this.scheduler.every(RETENTION_JOB, this.schedule, (signal) => this.retention.run({ signal }));
    }
  }
}
