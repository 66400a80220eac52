import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type Acquisition =
  | { acquired: true; periodStart: Date | null }
  /** `held`: another process holds the lease; `done`: this period already has its run. */
  | { acquired: false; reason: 'held' | 'done'; periodStart: Date | null };

export type RunOutcome = 'ok' | 'failed' | 'interrupted';

/** How long finished runs are kept, for operators asking when a job last ran. */
const HISTORY_DAYS = 30;

/**
 * Leases and period records of background jobs, on the database every replica shares. Every time
 * is the database's clock, so replicas whose clocks drift still agree. Works the same on PGlite.
 */
@Injectable()
export class JobLockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes `job`'s lease for `leaseMs` unless another holder's lease is still running. With a
   * period, also records the run of the current period, in the same transaction: when the period
   * already has one, nothing is taken. Concurrent callers queue on the row; exactly one wins.
   */
  async acquire(job: string, holder: string, leaseMs: number, periodMs: number | null): Promise<Acquisition> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      let periodStart: Date | null = null;
      if (periodMs !== null) {
        const [row] = (await runner.query(
          `SELECT to_timestamp(floor(extract(epoch FROM now()) * 1000 / $1) * $1 / 1000.0) AS period_start`,
          [periodMs],
        )) as { period_start: Date }[];
        periodStart = row?.period_start ?? null;
      }
      const leased = (await runner.query(
        `INSERT INTO scheduled_jobs (name, holder, lease_until)
         VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
           WHERE scheduled_jobs.lease_until < now()
         RETURNING name`,
        [job, holder, leaseMs],
      )) as unknown[];
      if (leased.length === 0) {
        await runner.rollbackTransaction();
        return { acquired: false, reason: 'held', periodStart };
      }
      if (periodStart !== null) {
        const recorded = (await runner.query(
          `INSERT INTO scheduled_job_runs (job, period_start, holder) VALUES ($1, $2, $3)
           ON CONFLICT (job, period_start) DO NOTHING RETURNING job`,
          [job, periodStart, holder],
        )) as unknown[];
        if (recorded.length === 0) {
          await runner.rollbackTransaction();
          return { acquired: false, reason: 'done', periodStart };
        }
        await runner.query(
          `DELETE FROM scheduled_job_runs WHERE job = $1 AND started_at < now() - $2 * interval '1 day'`,
          [job, HISTORY_DAYS],
        );
      }
      await runner.commitTransaction();
      return { acquired: true, periodStart };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Extends the lease; `false` when it is no longer this holder's (it ran out and was taken). */
  async renew(job: string, holder: string, leaseMs: number): Promise<boolean> {
    // A raw UPDATE … RETURNING comes back from TypeORM as [rows, affected count].
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE scheduled_jobs SET lease_until = now() + $3 * interval '1 millisecond'
        WHERE name = $1 AND holder = $2 RETURNING name`,
      [job, holder, leaseMs],
    );
    return affected > 0;
  }

  /** Ends the holder's lease at once, and records how the period's run ended. */
  async release(
    job: string,
    holder: string,
    run: { periodStart: Date; outcome: RunOutcome } | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      if (run) {
        await tx.query(
          `UPDATE scheduled_job_runs SET finished_at = now(), outcome = $4
            WHERE job = $1 AND period_start = $2 AND holder = $3`,
          [job, run.periodStart, holder, run.outcome],
        );
      }
      await tx.query(
        `UPDATE scheduled_jobs SET holder = NULL, lease_until = '-infinity' WHERE name = $1 AND holder = $2`,
        [job, holder],
      );
    });
  }
}
