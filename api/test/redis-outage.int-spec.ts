import type { Message, ReadyResponse, ServerFrame } from '@cloop/contracts';

import {
  createSite,
  createVisitorSession,
  sendVisitorMessage,
  signUp,
  type SignedUpUser,
  waitForVisitorMessage,
} from './support/factories';
import { OwnRedis } from './support/own-redis';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';

const ORIGIN = 'https://shop.example';
const sharedDatabase = Boolean(process.env['DATABASE_URL']);

type Created = Extract<ServerFrame, { type: 'message.created' }>;
const created =
  (id: string) =>
  (frame: ServerFrame): frame is Created =>
    frame.type === 'message.created' && frame.message.id === id;

async function inboxSocket(host: string, owner: SignedUpUser, siteId: string): Promise<RealtimeClient> {
  const socket = await RealtimeClient.connect(host);
  socket.send({ type: 'auth', accessToken: owner.accessToken });
  await socket.next(ofType('ready'));
  socket.send({ type: 'subscribe', siteId });
  await socket.next(ofType('subscribed'));
  return socket;
}

/** The seqs of one conversation a socket has received, in order and without repeats. */
function seqsSeen(socket: RealtimeClient, conversationId: string): number[] {
  const seqs = socket.frames
    .filter(ofType('message.created'))
    .filter((frame) => frame.conversationId === conversationId)
    .map((frame) => frame.message.seq);
  return [...new Set(seqs)].sort((a, b) => a - b);
}

/** The last seq before the first gap: where a careful client resumes. */
function lastContiguous(seqs: number[]): number {
  let last = 0;
  for (const seq of seqs) {
    if (seq > last + 1) break;
    last = seq;
  }
  return last;
}

async function readiness(t: TestApp, status: ReadyResponse['status']): Promise<ReadyResponse> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const body = (await t.http.get('/api/ready')).body as ReadyResponse;
    if (body.status === status) return body;
    if (Date.now() > deadline) throw new Error(`readiness stayed ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Two replicas share a database server (CI's PostgreSQL) and a redis-server of this test's own,
// which it kills and restarts; the shared Redis other suites use is never touched.
(sharedDatabase ? describe : describe.skip)('two replicas through a Redis outage', () => {
  let redis: OwnRedis;
  let a: TestApp;
  let b: TestApp;
  let hostA: string;
  let hostB: string;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    a = await startTestApp({ env: { REDIS_URL: redis.url } });
    b = await startTestApp({ env: a.sharedEnv });
    [hostA, hostB] = [await a.listen(), await b.listen()];
  }, 60_000);
  afterAll(async () => {
    await redis?.up();
    await b?.close();
    await a?.close();
    await redis?.down();
  });

  it('answers requests while Redis is down, delivers each replica its own events, and every console catches up after', async () => {
    const owner = await signUp(a.http);
    const site = await createSite(a.http, owner, { allowedOrigins: [ORIGIN] });
    const visitor = await createVisitorSession(a.http, site);
    const conversationId = visitor.conversation.id;
    const consoleA = await inboxSocket(hostA, owner, site.id);
    const consoleB = await inboxSocket(hostB, owner, site.id);
    const widgetA = await RealtimeClient.connect(hostA, ORIGIN);
    widgetA.send({ type: 'auth', siteKey: site.publicKey, visitorId: visitor.visitorId });
    await widgetA.next(ofType('ready'));
    try {
      // Redis up: the other replica gets the event through Redis, the own replica exactly once.
      const before = await sendVisitorMessage(a.http, visitor.headers, 'Before the outage');
      await consoleB.next(created(before.id));
      const marker = await sendVisitorMessage(a.http, visitor.headers, 'Still before');
      await consoleB.next(created(marker.id));
      await consoleA.next(created(marker.id));
      expect(consoleA.frames.filter(created(before.id))).toHaveLength(1);

      await redis.down();
      expect(await readiness(a, 'degraded')).toMatchObject({ database: 'up', redis: 'down' });

      // Every request completes, and the replica's own sockets see its events at once.
      const during: Message[] = [];
      for (const body of ['Down one', 'Down two', 'Down three']) {
        during.push(await sendVisitorMessage(a.http, visitor.headers, body));
      }
      for (const message of during) {
        expect((await consoleA.next(created(message.id))).message.body).toBe(message.body);
        await widgetA.next(created(message.id));
      }
      const viaB = await sendVisitorMessage(b.http, visitor.headers, 'Through replica B');
      await consoleB.next(created(viaB.id));
      // Replica A never heard of B's message, nor B of A's: only the database has them all.
      expect(consoleA.frames.some(created(viaB.id))).toBe(false);
      expect(consoleB.frames.some(created(during[0]?.id ?? ''))).toBe(false);
      const lastAnswer = await waitForVisitorMessage(
        a.http,
        visitor.headers,
        viaB.seq,
        (message) => message.author === 'assistant',
        10_000,
      );

      await redis.up();
      expect(await readiness(a, 'ok')).toMatchObject({ redis: 'up' });

      // Told to catch up, each client resumes from where its own record has its first gap.
      for (const socket of [consoleA, consoleB, widgetA]) {
        await socket.next(ofType('resync'), 15_000);
        const from = lastContiguous(seqsSeen(socket, conversationId));
        socket.send({ type: 'resume', conversationId, afterSeq: from });
      }
      const everySeq = Array.from({ length: lastAnswer.seq }, (_, i) => i + 1);
      for (const socket of [consoleA, consoleB, widgetA]) {
        await socket.next(
          (frame) => frame.type === 'message.created' && frame.message.seq === lastAnswer.seq,
          10_000,
        );
        await socket.next(() => seqsSeen(socket, conversationId).length >= everySeq.length, 10_000);
        expect(seqsSeen(socket, conversationId)).toEqual(everySeq);
      }

      // And events cross replicas again.
      const after = await sendVisitorMessage(a.http, visitor.headers, 'After the outage');
      await consoleB.next(created(after.id), 10_000);
    } finally {
      consoleA.close();
      consoleB.close();
      widgetA.close();
    }
  }, 120_000);
});
