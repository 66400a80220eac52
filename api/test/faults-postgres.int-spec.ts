import type { ErrorResponse, Site } from '@cloop/contracts';
import { Client } from 'pg';
import request from 'supertest';

import { APPLICATION_NAME } from '../src/database/data-source';
import { createSite, signUp, type SignedUpUser } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const server = process.env['DATABASE_URL'];
const CYCLES = 3;
const IN_FLIGHT = 4;

if (!server) {
  console.log('faults-postgres: skipped, DATABASE_URL is not set (CI runs it in the PostgreSQL pass)');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// The app's own connections to its own scratch database are terminated mid-request, as a
// PostgreSQL restart or an operator's pg_terminate_backend does. Backends are picked by database
// and application_name, so no other suite's connection is ever touched.
(server ? describe : describe.skip)('PostgreSQL connections killed mid-request', () => {
  let t: TestApp;
  let host: string;
  let owner: SignedUpUser;
  let site: Site;
  let locker: Client;
  let admin: Client;
  let database: string;

  beforeAll(async () => {
    t = await startTestApp();
    host = await t.listen();
    owner = await signUp(t.http);
    site = await createSite(t.http, owner);
    const url = t.sharedEnv['DATABASE_URL'] ?? '';
    database = new URL(url).pathname.slice(1);
    // Holds a lock on `sites` so requests wait inside PostgreSQL, where the kill finds them.
    locker = new Client({ connectionString: url, application_name: 'cloop-fault-test' });
    admin = new Client({ connectionString: server, application_name: 'cloop-fault-test' });
    await Promise.all([locker.connect(), admin.connect()]);
  });
  afterAll(async () => {
    await locker?.end();
    await admin?.end();
    await t?.close();
  });

  const appBackends = async (where = 'true'): Promise<number[]> =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND ${where}`,
        [database, APPLICATION_NAME],
      )
    ).rows.map((row) => row.pid);

  const readSite = () =>
    request(`http://${host}`)
      .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
      .set(owner.auth);

  it('answers requests whose connection was killed with 503 and Retry-After, and recovers without a restart', async () => {
    const tally = { killed: 0, waiting: 0, unavailable: 0, succeeded: 0, recoveryAttempts: 0 };
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sites IN ACCESS EXCLUSIVE MODE');
      const inFlight = Array.from({ length: IN_FLIGHT }, () => readSite().then((response) => response));
      let waiting: number[] = [];
      for (let tries = 0; waiting.length < IN_FLIGHT && tries < 200; tries += 1) {
        await sleep(25);
        waiting = await appBackends(`wait_event_type = 'Lock'`);
      }
      expect(waiting.length).toBeGreaterThan(0);
      tally.waiting += waiting.length;
      // Every connection of the app to its database: the waiting ones and the idle ones in the pool.
      const pids = await appBackends();
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      tally.killed += pids.length;
      await locker.query('ROLLBACK');

      const responses = await Promise.all(inFlight);
      for (const response of responses) {
        if (response.status === 200) {
          tally.succeeded += 1;
          continue;
        }
        tally.unavailable += 1;
        expect({ status: response.status, body: response.body as unknown }).toEqual({
          status: 503,
          body: {
            statusCode: 503,
            error: 'Service Unavailable',
            message: expect.any(String),
            code: 'SERVICE_UNAVAILABLE',
          },
        });
        expect(response.headers['retry-after']).toMatch(/^\d+$/);
        expect((response.body as ErrorResponse).code).toBe('SERVICE_UNAVAILABLE');
      }
      // Those that were waiting inside PostgreSQL when their backend died cannot have succeeded.
      expect(responses.filter((response) => response.status === 503).length).toBeGreaterThanOrEqual(
        waiting.length,
      );

      // Recovery by itself: a retry (as Retry-After invites) soon succeeds, then everything does.
      let recovered = false;
      for (let attempt = 0; attempt < 20 && !recovered; attempt += 1) {
        tally.recoveryAttempts += 1;
        const response = await readSite();
        expect([200, 503]).toContain(response.status);
        recovered = response.status === 200;
      }
      expect(recovered).toBe(true);
      for (let i = 0; i < 10; i += 1) await readSite().expect(200);
    }
    console.log(
      `faults-postgres: ${CYCLES} kills of ${tally.killed} app backends (${tally.waiting} waiting mid-request): ` +
        `${tally.unavailable} requests answered 503 with Retry-After, ${tally.succeeded} succeeded, ` +
        `${tally.recoveryAttempts} requests until recovered (all cycles)`,
    );
  });
});
