import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Site, WidgetMessagesResponse } from '@cloop/contracts';
import request from 'supertest';

import { type CloopProcess, ensureBuiltApi, startCloopProcess } from './support/cloop-process';
import { createSite, signUp, visitorHeaders } from './support/factories';
import { route } from '@cloop/client/route';

const KILLS = 5;
const STREAMS = 2;
/** The default per-visitor limit is 20 messages a minute: a new visitor (on its own address) before that. */
const MESSAGES_PER_VISITOR = 15;
const ORIGIN = 'https://shop.example';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// A slow fault test (~40 s): it runs in the integration pass on the servers (`test:int`, which CI
// runs), not in `npm test`'s quick loop. The instance it kills is its own embedded one either way:
// the child process gets only the environment below, never the pass's DATABASE_URL.
const integrationPass = Boolean(process.env['DATABASE_URL']);
if (!integrationPass) {
  console.log('faults-kill: skipped in npm test; `npm run test:int` (with DATABASE_URL) runs it');
}

interface Acknowledged {
  headers: Record<string, string>;
  ids: string[];
}

// The real build on an embedded database on disk, killed with SIGKILL while visitors send a steady
// stream of messages, then started again on the same data directory, five times over. Every message
// the server acknowledged (201) before a kill must be there afterwards.
(integrationPass ? describe : describe.skip)('kill -9 of an embedded instance under load', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let current: CloopProcess | null = null;

  beforeAll(async () => {
    await ensureBuiltApi();
    dataDir = await mkdtemp(join(tmpdir(), 'cloop-kill-'));
    env = {
      DATA_DIR: join(dataDir, 'data'),
      JWT_SECRET: randomBytes(36).toString('base64url'),
      TRUST_PROXY: '1',
      LOG_LEVEL: 'warn',
    };
  }, 300_000);
  afterAll(async () => {
    current?.kill('SIGKILL');
    await current?.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged message and always reopens', async () => {
    current = await startCloopProcess(env);
    const setup = request(current.url);
    const owner = await signUp(setup);
    const site: Site = await createSite(setup, owner, { allowedOrigins: [ORIGIN] });
    const acknowledged: Acknowledged[] = [];
    let visitorCount = 0;
    let failedAttempts = 0;

    /** Sends messages one after another until the process dies; keeps what got a 201. */
    const stream = async (url: string, alive: () => boolean): Promise<void> => {
      while (alive()) {
        visitorCount += 1;
        const visitor: Acknowledged = {
          headers: visitorHeaders(site, { ip: `10.77.${visitorCount >> 8}.${visitorCount & 255}` }),
          ids: [],
        };
        acknowledged.push(visitor);
        for (let i = 0; i < MESSAGES_PER_VISITOR && alive(); i += 1) {
          const id = randomUUID();
          const response = await request(url)
            .post(route('/api/v1/widget/messages'))
            .set(visitor.headers)
            .send({ id, body: `message ${i}` })
            .catch(() => null);
          if (response?.status === 201) visitor.ids.push(id);
          else failedAttempts += 1;
        }
      }
    };

    for (let kill = 0; kill < KILLS; kill += 1) {
      const running: CloopProcess = current;
      let alive = true;
      const streams = Array.from({ length: STREAMS }, () => stream(running.url, () => alive));
      // Long enough for dozens of acknowledged messages, at a different moment each time.
      await sleep(1_500 + Math.random() * 1_500);
      running.kill('SIGKILL');
      expect(await running.exited).toEqual({ code: null, signal: 'SIGKILL' });
      alive = false;
      await Promise.all(streams);
      current = await startCloopProcess(env);
    }

    const reopened = request(current.url);
    const missing: string[] = [];
    let total = 0;
    for (const visitor of acknowledged.filter((entry) => entry.ids.length > 0)) {
      const stored = (await reopened.get(route('/api/v1/widget/messages')).set(visitor.headers).expect(200))
        .body as WidgetMessagesResponse;
      const ids = new Set(stored.items.map((message) => message.clientMessageId));
      total += visitor.ids.length;
      missing.push(...visitor.ids.filter((id) => !ids.has(id)));
    }
    console.log(
      `faults-kill: ${KILLS} kill -9 and restarts; ${total} acknowledged messages from ${acknowledged.length} visitors, ` +
        `${missing.length} missing; ${failedAttempts} sends failed around the kills (never acknowledged)`,
    );
    expect(total).toBeGreaterThan(KILLS * 10);
    expect(missing).toEqual([]);
  }, 600_000);
});
