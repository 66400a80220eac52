import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import { Injectable, Logger } from '@nestjs/common';

import { describeFailure } from '../database/describe-failure';
import { JobLockRepository, type RunOutcome } from './job-lock.repository';
import { jobStep } from './job-step';

export interface JobLockOptions {
  /**
   * How long the lease lasts without renewal: a holder that crashes blocks the job at most this
   * long. It is renewed every third of it while the work runs, so work may take longer.
   */
  leaseMs?: number;
  /** Stops the work early (shutdown); the work sees it through the signal it is given. */
  signal?: AbortSignal;
}

export type JobResult<T> =
  | { ran: true; value: T; periodStart: Date | null }
  /** `held`: another process is running it; `done`: the period already had its run. */
  | { ran: false; reason: 'held' | 'done'; periodStart: Date | null };

/** What the work is given: aborted on shutdown, or when the lease was lost (stop at a safe point). */
export type JobWork<T> = (signal: AbortSignal) => Promise<T>;

export const DEFAULT_LEASE_MS = 2 * 60_000;

/**
 * "Run once across replicas", on the shared database (PostgreSQL, or PGlite for one process).
 * `runExclusive` runs work unless another process holds the job's lease; `runOncePerPeriod`
 * also runs it at most once per period of the database clock, whichever replica asks first.
 */
@Injectable()
export class JobLock {
  /** This process, as recorded in leases and runs: host, pid and a random suffix. */
  readonly holder = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('JobLock');

  constructor(private readonly repository: JobLockRepository) {}

  runExclusive<T>(job: string, work: JobWork<T>, options: JobLockOptions = {}): Promise<JobResult<T>> {
    return this.run(job, null, work, options);
  }

  /** Periods are aligned to the epoch: `periodMs` 3 600 000 means once per clock hour. */
  runOncePerPeriod<T>(
    job: string,
    periodMs: number,
    work: JobWork<T>,
    options: JobLockOptions = {},
  ): Promise<JobResult<T>> {
    return this.run(job, periodMs, work, options);
  }

  private async run<T>(
    job: string,
    periodMs: number | null,
    work: JobWork<T>,
    options: JobLockOptions,
  ): Promise<JobResult<T>> {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (options.signal?.aborted) return { ran: false, reason: 'held', periodStart: null };
    const acquired = await jobStep('take the lease', () =>
      this.repository.acquire(job, this.holder, leaseMs, periodMs),
    );
    const { periodStart } = acquired;
    if (!acquired.acquired) return { ran: false, reason: acquired.reason, periodStart };

    const lost = new AbortController();
    const signal = options.signal ? AbortSignal.any([lost.signal, options.signal]) : lost.signal;
    const renewal = setInterval(() => {
      this.repository.renew(job, this.holder, leaseMs).then(
        (held) => {
          if (held || lost.signal.aborted) return;
          this.logger.warn(`${job}: lease lost (another process took it); stopping`);
          lost.abort(new Error('lease lost'));
        },
        (error: unknown) => this.logger.warn(`${job}: lease renewal failed (${describeFailure(error)})`),
      );
    }, leaseMs / 3);
    renewal.unref();

    let outcome: RunOutcome = 'failed';
    try {
      const value = await work(signal);
      outcome = signal.aborted ? 'interrupted' : 'ok';
      return { ran: true, value, periodStart };
    } catch (error) {
      if (signal.aborted) outcome = 'interrupted';
      throw error;
    } finally {
      clearInterval(renewal);
      const run = periodStart ? { periodStart, outcome } : null;
      await this.repository.release(job, this.holder, run).catch((error: unknown) => {
        // The lease runs out by itself; the period stays recorded as started.
        this.logger.warn(`${job}: release failed (${describeFailure(error)})`);
      });
    }
  }
}
