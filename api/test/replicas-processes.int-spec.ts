import { randomBytes } from 'node:crypto';

import { REALTIME_CLOSE_CODES, type ServerFrame } from '@cloop/contracts';
import { Client } from 'pg';
import request from 'supertest';

import { RETENTION_JOB } from '../src/retention/retention.scheduler';
import { createSite, createVisitorSession, sendVisitorMessage, signUp } from './support/factories';
import {
  ensureBuiltApi,
  type CloopProcess,
  type OutputLine,
  startCloopProcess,
} from './support/cloop-process';
import { connectionRefused, requestInFlight } from './support/http-in-flight';
import { ofType, RealtimeClient } from './support/realtime-client';
import { createScratchDatabase } from './support/test-app';
import { route } from '@cloop/client/route';

const sharedServers = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);
// Long enough that a run under a loaded CI machine (the whole suite in parallel) ends within its period.
const RETENTION_INTERVAL_MS = 5_000;
/** The `auth` group's limit per client address (DEFAULT_RATE_LIMITS): 30 a minute. */
const AUTH_LIMIT = 30;

/** A realtime client signed in as `accessToken` and subscribed to `siteId`. */
async function inboxSocket(host: string, accessToken: string, siteId: string): Promise<RealtimeClient> {
  const socket = await RealtimeClient.connect(host);
  socket.send({ type: 'auth', accessToken });
  await socket.next(ofType('ready'), 15_000);
  socket.send({ type: 'subscribe', siteId });
  await socket.next(ofType('subscribed'), 15_000);
  return socket;
}

/** The Scheduler's log line about the retention job, with the period it concerns. */
function retentionAttempt(line: OutputLine): { period: string; ran: boolean } | null {
  const message = line.json?.['context'] === 'Scheduler' ? String(line.json['msg']) : '';
  const match = /^retention: (ran|skipped).* the period from ([^\s,]+)/.exec(message);
  return match?.[1] && match[2] ? { ran: match[1] === 'ran', period: match[2] } : null;
}

// Two real processes of the built app (node dist/api/api/src/main.js) on one PostgreSQL database
// and one Redis: what a deployment of two replicas behind a load balancer runs. CI runs it with both
// servers (see .ci/run); without them it is skipped, like replicas.int-spec.ts.
(sharedServers ? describe : describe.skip)('two Cloop processes sharing PostgreSQL and Redis', () => {
  let database: { url: string; drop(): Promise<void> };
  let a: CloopProcess;
  let b: CloopProcess;
  let sql: Client;

  beforeAll(async () => {
    await ensureBuiltApi();
    // Empty, not a copy of the migrated template: the two processes migrate it themselves.
    database = await createScratchDatabase(process.env['DATABASE_URL'] ?? '', { empty: true });
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env['REDIS_URL'] ?? '',
      JWT_SECRET: randomBytes(36).toString('base64url'),
      AUDIT_KEY: randomBytes(36).toString('base64url'),
      TRUST_PROXY: '1',
      LOG_LEVEL: 'info',
      RETENTION_INTERVAL_MS: String(RETENTION_INTERVAL_MS),
      SHUTDOWN_GRACE_MS: '30000',
    };
    // Both boot at once: migrations take turns under the advisory lock.
    [a, b] = await Promise.all([startCloopProcess(env), startCloopProcess(env)]);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 300_000);

  afterAll(async () => {
    a?.kill('SIGKILL');
    b?.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    await sql?.end();
    await database?.drop();
  });

  it('prints every line of standard output as one pino JSON object, the ready line with the console URL included', () => {
    for (const replica of [a, b]) {
      expect(replica.lines.length).toBeGreaterThan(0);
      expect(replica.lines.filter((line) => line.json === null)).toEqual([]);
      const ready = replica.lines.find((line) => String(line.json?.['msg']).startsWith('Cloop is running'));
      expect(ready?.json).toMatchObject({ level: 30, console: `${replica.url}/console/` });
    }
  });

  it('delivers a message posted to process A to a console socket on process B', async () => {
    const owner = await signUp(request(a.url));
    const site = await createSite(request(a.url), owner, { allowedOrigins: ['https://shop.example'] });
    const visitor = await createVisitorSession(request(a.url), site);
    const inbox = await inboxSocket(b.host, owner.accessToken, site.id);
    try {
      const sent = await sendVisitorMessage(request(a.url), visitor.headers, 'Hello from A');
      const received = await inbox.next(
        (frame): frame is Extract<ServerFrame, { type: 'message.created' }> =>
          frame.type === 'message.created' && frame.message.id === sent.id,
        15_000,
      );
      expect(received.message.body).toBe('Hello from A');
    } finally {
      inbox.close();
    }
  }, 60_000);

  it('shares rate limits: a client that used up its limit across A and B is refused by the other one', async () => {
    // One client address (through the trusted proxy header), alternating between the replicas.
    const ip = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    const refresh = (process: CloopProcess) =>
      request(process.url)
        .post(route('/api/v1/auth/refresh'))
        .set('X-Forwarded-For', ip)
        .send({ refreshToken: 'not-a-token' });
    for (let i = 0; i < AUTH_LIMIT; i++) {
      const response = await refresh(i % 2 === 0 ? a : b);
      expect(response.status).toBe(400);
    }
    // The last allowed request went to B: the one over the limit goes to A, and is refused there.
    const overA = await refresh(a);
    expect(overA.status).toBe(429);
    expect(Number(overA.headers['retry-after'])).toBeGreaterThan(0);
    expect((await refresh(b)).status).toBe(429);
  }, 60_000);

  it('runs retention once per period: both replicas try, one deletes, the other finds the period taken', async () => {
    const owner = await signUp(request(a.url));
    const site = await createSite(request(a.url), owner, { retentionDays: 1 });
    // Stale history, written straight into the shared database: 3 visitors, each one conversation.
    await sql.query(
      `WITH v AS (
         INSERT INTO visitors (site_id, visitor_uuid, last_seen_at)
         SELECT $1, gen_random_uuid(), now() - interval '2 days' FROM generate_series(1, 3) RETURNING id)
       INSERT INTO conversations (site_id, visitor_id, message_count, last_seq, last_message_at)
       SELECT $1, id, 0, 0, now() - interval '2 days' FROM v`,
      [site.id],
    );
    const deletions = async () =>
      (
        await sql.query<{ details: { conversations: number } }>(
          `SELECT details FROM audit_events WHERE action = 'retention.deleted' AND target_id = $1`,
          [site.id],
        )
      ).rows;
    for (let i = 0; i < 300 && (await deletions()).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await deletions()).toEqual([{ details: expect.objectContaining({ conversations: 3 }) }]);

    // A period both processes asked about and one ran: find it in their logs (both ask at every period start).
    const attempts = (process: CloopProcess) =>
      process.lines.map(retentionAttempt).filter((attempt) => attempt !== null);
    let common: string | undefined;
    for (let i = 0; i < 900 && !common; i++) {
      // (On a slow machine a run may outlast its period: then both skip the next one, held.)
      const inB = new Set(attempts(b).map((attempt) => attempt.period));
      const ran = new Set([...attempts(a), ...attempts(b)].filter((x) => x.ran).map((x) => x.period));
      common = attempts(a).find((attempt) => inB.has(attempt.period) && ran.has(attempt.period))?.period;
      if (!common) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // On failure, say what each replica's scheduler logged: the next person needs it to see why.
    const schedulerLines = (process: CloopProcess) =>
      process.lines
        .filter((line) => line.json?.['context'] === 'Scheduler')
        .map((line) => line.json?.['msg']);
    if (!common) {
      throw new Error(
        `no period both replicas asked about and one ran:\n${JSON.stringify(
          { a: schedulerLines(a), b: schedulerLines(b) },
          null,
          1,
        )}`,
      );
    }
    const verdicts = [a, b].map(
      (process) => attempts(process).find((attempt) => attempt.period === common)?.ran,
    );
    expect([...verdicts].sort()).toEqual([false, true]);
    const runs = await sql.query<{ holder: string }>(
      `SELECT holder FROM scheduled_job_runs WHERE job = $1 AND period_start = $2`,
      [RETENTION_JOB, common],
    );
    expect(runs.rows).toHaveLength(1);
    const runner = verdicts[0] ? a : b;
    expect(runs.rows[0]?.holder).toContain(`/${runner.pid}/`);
    // Every period has at most one run, however many times the replicas asked.
    const periods = await sql.query<{ runs: number }>(
      `SELECT count(*)::int AS runs FROM scheduled_job_runs WHERE job = $1 GROUP BY period_start`,
      [RETENTION_JOB],
    );
    expect(periods.rows.every((row) => row.runs === 1)).toBe(true);
    expect(await deletions()).toHaveLength(1);
  }, 180_000);

  it('on SIGTERM, stops accepting, finishes the request in flight, closes sockets with 1012 and exits 0', async () => {
    const owner = await signUp(request(b.url));
    const site = await createSite(request(b.url), owner);
    const inbox = await inboxSocket(b.host, owner.accessToken, site.id);
    const inFlight = await requestInFlight(b.host, route('/api/v1/auth/login'), {
      email: owner.email,
      password: 'not the password',
    });

    b.kill('SIGTERM');
    expect((await inbox.closed).code).toBe(REALTIME_CLOSE_CODES.restart);
    // The listener closed before the sockets were told to reconnect: they reconnect elsewhere.
    expect(await connectionRefused(b.host)).toBe(true);

    const answer = await inFlight.finish();
    expect(answer.status).toBe(401);
    expect(answer.head.toLowerCase()).toContain('connection: close');
    expect(await b.exited).toEqual({ code: 0, signal: null });
    await b.waitForLine((line) => String(line.json?.['msg']).startsWith('stopped in'));

    // The other replica carries on.
    await request(a.url).get('/api/health').expect(200);
  }, 90_000);
});
