import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';

import { RetentionService } from './retention.service';

export interface RetentionSchedule {
  firstRunAfterMs: number;
  everyMs: number;
}

export const RETENTION_SCHEDULE = Symbol('RETENTION_SCHEDULE');

/** Runs retention in the background on a fixed period; off when no schedule is given (tests). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly retention: RetentionService,
    @Inject(RETENTION_SCHEDULE) private readonly schedule: RetentionSchedule | null,
  ) {}

  onApplicationBootstrap(): void {
    if (this.schedule) this.plan(this.schedule.firstRunAfterMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private plan(delayMs: number): void {
    if (this.stopped || !this.schedule) return;
    const { everyMs } = this.schedule;
    this.timer = setTimeout(() => {
      this.running = this.retention
        .run()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`retention run failed: ${(error as Error).name}`))
        .finally(() => {
          this.running = null;
          this.plan(everyMs);
        });
    }, delayMs);
    // A pending run never keeps the process alive on its own.
    this.timer.unref();
  }
}
