import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Background jobs that must run once across replicas: a lease per job (a crashed holder's lease
 * runs out), and one row per job and period, so that a period runs at most once.
 */
export class ScheduledJobs1764752400000 implements MigrationInterface {
  name = 'ScheduledJobs1764752400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE scheduled_jobs (
        name text PRIMARY KEY,
        -- The process holding the lease (host/pid/random), renewed while it works.
        holder text,
        lease_until timestamptz(3) NOT NULL
      )`);
    await db.query(`
      CREATE TABLE scheduled_job_runs (
        job text NOT NULL,
        -- The start of the period this run belongs to: the key makes a second run of it impossible.
        period_start timestamptz(3) NOT NULL,
        holder text NOT NULL,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3),
        outcome text CHECK (outcome IN ('ok', 'failed', 'interrupted')),
        PRIMARY KEY (job, period_start)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE scheduled_job_runs');
    await db.query('DROP TABLE scheduled_jobs');
  }
}
