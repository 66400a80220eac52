import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { type Schedule, Scheduler } from '../scheduling/scheduler';
import { RetentionService } from './retention.service';

export type RetentionSchedule = Schedule;

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
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  onApplicationBootstrap(): void {
    const schedule = this.config.runtime.retentionSchedule;
    if (schedule) {
      this.scheduler.every(RETENTION_JOB, schedule, (signal) => this.retention.run({ signal }));
    }
  }
}
