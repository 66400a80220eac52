import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { JobLock } from '../src/scheduling/job-lock';
import { JobLockRepository } from '../src/scheduling/job-lock.repository';
import { jobStep } from '../src/scheduling/job-step';
import { Scheduler } from '../src/scheduling/scheduler';
import { signUp } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/** Work that runs until the test lets it finish. */
function gate(): { work: (signal: AbortSignal) => Promise<string>; started: Promise<void>; open(): void } {
  let open = (): void => undefined;
  let started = (): void => undefined;
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    started: startedPromise,
    open: () => open(),
    work: async () => {
      started();
      await opened;
      return 'done';
    },
  };
}

let jobCounter = 0;
const uniqueJob = (): string => `test-job-${++jobCounter}-${Date.now()}`;

// Two JobLocks on one database stand for two replicas (each has its own holder id); on PostgreSQL
// the suite runs against the server, on PGlite in process: the SQL is the same.
describe('JobLock', () => {
  let t: TestApp;
  let db: DataSource;
  let replicaA: JobLock;
  let replicaB: JobLock;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    replicaA = t.app.get(JobLock);
    replicaB = new JobLock(t.app.get(JobLockRepository));
  });
  afterAll(() => t.close());

  const runsOf = (job: string) =>
    db.query<{ holder: string; outcome: string | null; period_start: Date }[]>(
      `SELECT holder, outcome, period_start FROM scheduled_job_runs WHERE job = $1 ORDER BY period_start`,
      [job],
    );

  it('runs a period once: of two replicas asking at the same time, one runs and the other is told it is taken', async () => {
    const job = uniqueJob();
    let ran = 0;
    const work = () => Promise.resolve((ran += 1));
    const results = await Promise.all([
      replicaA.runOncePerPeriod(job, 3_600_000, work),
      replicaB.runOncePerPeriod(job, 3_600_000, work),
    ]);
    expect(ran).toBe(1);
    expect(results.filter((result) => result.ran)).toHaveLength(1);
    expect(results.find((result) => !result.ran)).toMatchObject({ ran: false });
    // Asked again within the same period, after the run finished: still once.
    expect(await replicaB.runOncePerPeriod(job, 3_600_000, work)).toMatchObject({
      ran: false,
      reason: 'done',
    });
    expect(ran).toBe(1);
    const runs = await runsOf(job);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.outcome).toBe('ok');
    expect([replicaA.holder, replicaB.holder]).toContain(runs[0]?.holder);
  });

  it('never overlaps runs: while one replica works, the other is refused, also in a later period', async () => {
    const job = uniqueJob();
    const slow = gate();
    const first = replicaA.runOncePerPeriod(job, 1_000, slow.work);
    await slow.started;
    const firstPeriod = (await runsOf(job))[0]?.period_start;
    // Wait until the next period has started (by the database's clock), with the first run still going.
    for (let i = 0; i < 100; i++) {
      const [row] = await db.query<{ later: boolean }[]>(
        `SELECT now() >= $1::timestamptz + interval '1 second' AS later`,
        [firstPeriod],
      );
      if (row?.later) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await replicaB.runOncePerPeriod(job, 1_000, () => Promise.resolve('overlap'))).toMatchObject({
      ran: false,
      reason: 'held',
    });
    slow.open();
    expect(await first).toMatchObject({ ran: true, value: 'done' });
    // Released: a new period runs again, on whichever replica asks.
    await expect(replicaB.runExclusive(job, () => Promise.resolve('after'))).resolves.toMatchObject({
      ran: true,
      value: 'after',
    });
  });

  it('lets another replica take over once a crashed holder’s lease has run out', async () => {
    const job = uniqueJob();
    const crashed = gate();
    // The holder "crashes": its work never ends, and its renewals stop (the lease is aged by hand).
    void replicaA.runExclusive(job, crashed.work, { leaseMs: 60_000 });
    await crashed.started;
    expect(await replicaB.runExclusive(job, () => Promise.resolve('b'))).toMatchObject({ ran: false });
    await db.query(`UPDATE scheduled_jobs SET lease_until = now() - interval '1 second' WHERE name = $1`, [
      job,
    ]);
    expect(await replicaB.runExclusive(job, () => Promise.resolve('b'))).toMatchObject({
      ran: true,
      value: 'b',
    });
    crashed.open();
  });

  it('renews the lease while work runs longer than the lease', async () => {
    const job = uniqueJob();
    const long = gate();
    const running = replicaA.runExclusive(job, long.work, { leaseMs: 1_500 });
    await long.started;
    // Past the first lease: without renewal it would have run out by now.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await replicaB.runExclusive(job, () => Promise.resolve('b'))).toMatchObject({
      ran: false,
      reason: 'held',
    });
    long.open();
    await running;
  });

  it('tells the work through its signal when the lease was taken by another process', async () => {
    const job = uniqueJob();
    let seen: AbortSignal | null = null;
    const running = replicaA.runOncePerPeriod(
      job,
      3_600_000,
      (signal) =>
        new Promise<string>((resolve) => {
          seen = signal;
          signal.addEventListener('abort', () => resolve('stopped'));
        }),
      { leaseMs: 600 },
    );
    while (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
    await db.query(`UPDATE scheduled_jobs SET holder = 'someone else' WHERE name = $1`, [job]);
    expect(await running).toMatchObject({ ran: true, value: 'stopped' });
    expect((await runsOf(job))[0]?.outcome).toBe('interrupted');
  });

  it('stops work at shutdown and records the run as interrupted; a failing run is recorded as failed', async () => {
    const stopping = new AbortController();
    const job = uniqueJob();
    const running = replicaA.runOncePerPeriod(
      job,
      3_600_000,
      (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped'))),
      { signal: stopping.signal },
    );
    while ((await runsOf(job)).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    stopping.abort();
    await running;
    expect((await runsOf(job))[0]?.outcome).toBe('interrupted');

    const failing = uniqueJob();
    await expect(
      replicaA.runOncePerPeriod(failing, 3_600_000, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect((await runsOf(failing))[0]?.outcome).toBe('failed');
    // The lease is free again after a failure.
    expect(await replicaB.runExclusive(failing, () => Promise.resolve('next'))).toMatchObject({ ran: true });
  });

  it('logs a failed run with its step, SQLSTATE, table and constraint, and never the row’s values', async () => {
    const user = await signUp(t.http);
    const logged: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
    try {
      const job = uniqueJob();
      t.app
        .get(Scheduler)
        .every(job, { everyMs: 3_600_000, firstRunAfterMs: 0 }, () =>
          jobStep('copy a user', () =>
            db.query(`INSERT INTO users (email, password_hash, name) VALUES ($1, 'x', 'Copy')`, [user.email]),
          ),
        );
      while (!logged.some((line) => line.startsWith(`${job}:`)))
        await new Promise((resolve) => setTimeout(resolve, 20));
      // The routine is the server's own function name; its version may change it.
      expect(logged.find((line) => line.startsWith(`${job}:`))).toMatch(
        /: run failed in step "copy a user": QueryFailedError \(SQLSTATE 23505, table users, constraint users_email_key(, routine \w+)?\)$/,
      );
      expect(logged.join('\n')).not.toContain(user.email);
    } finally {
      spy.mockRestore();
    }
  });
});
