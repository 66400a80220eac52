import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

import { describeFailure } from '../database/describe-failure';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { JobLock, type JobWork } from './job-lock';
import { stepOf } from './job-step';

export interface Schedule {
  /** The period: the job runs once per period across all replicas. */
  everyMs: number;
  /** The first attempt after boot (later ones come at each period's start). */
  firstRunAfterMs: number;
}

interface Entry {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

/**
 * Periodic jobs that run once per period across replicas. Every replica asks at the start of
 * each period (and once soon after boot); the database lets the first one in and tells the
 * others the period is taken. A run longer than a period holds its lease, so runs never overlap;
 * the periods it covered are not made up afterwards. Stops when the process starts draining.
 */
@Injectable()
export class Scheduler implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly entries = new Set<Entry>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly lock: JobLock,
    shutdown: ShutdownState,
  ) {
    shutdown.signal.addEventListener('abort', () => void this.stop());
  }

  every(job: string, schedule: Schedule, work: JobWork<unknown>): void {
    if (this.stopping.signal.aborted) return;
    const entry: Entry = { timer: null, running: null };
    this.entries.add(entry);
    const plan = (delayMs: number): void => {
      if (this.stopping.signal.aborted) return;
      entry.timer = setTimeout(() => {
        entry.timer = null;
        entry.running = this.attempt(job, schedule.everyMs, work).finally(() => {
          entry.running = null;
          plan(untilNextPeriod(schedule.everyMs));
        });
      }, delayMs);
      // A pending run never keeps the process alive on its own.
      entry.timer.unref();
    };
    plan(schedule.firstRunAfterMs);
  }

  /** Cancels what is planned and stops what runs at its next safe point; settles once it has. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('shutting down'));
    for (const entry of this.entries) if (entry.timer) clearTimeout(entry.timer);
    await Promise.all([...this.entries].map((entry) => entry.running ?? Promise.resolve()));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private async attempt(job: string, everyMs: number, work: JobWork<unknown>): Promise<void> {
    const started = Date.now();
    try {
      const result = await this.lock.runOncePerPeriod(job, everyMs, work, { signal: this.stopping.signal });
      const period = result.periodStart?.toISOString() ?? 'now';
      if (result.ran) {
        this.logger.log(`${job}: ran for the period from ${period} in ${Date.now() - started} ms`);
      } else if (result.reason === 'done') {
        this.logger.log(`${job}: skipped, the period from ${period} already ran`);
      } else {
        this.logger.log(`${job}: skipped for the period from ${period}, another process is running it`);
      }
    } catch (error) {
      const step = stepOf(error) ?? 'run';
      this.logger.error(`${job}: run failed in step "${step}": ${describeFailure(error)}`);
    }
  }
}

/** Just after the next period starts; the margin absorbs a small skew with the database clock. */
function untilNextPeriod(everyMs: number, now = Date.now()): number {
  return everyMs - (now % everyMs) + Math.min(1_000, Math.floor(everyMs / 20));
}
