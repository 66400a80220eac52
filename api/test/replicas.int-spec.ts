import { randomUUID } from 'node:crypto';

import type { Message, ServerFrame, Site } from '@cloop/contracts';

import { createSite, signUp } from './support/factories';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';
const sharedServers = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

// Two replicas need a database server and Redis to share: CI runs this with both (see .ci/run).
(sharedServers ? describe : describe.skip)('two replicas sharing PostgreSQL and Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let hostB: string;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ env: a.sharedEnv });
    hostB = await b.listen();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('delivers a message posted to replica A to a console socket on replica B, and a resume there loses nothing', async () => {
    const owner = await signUp(a.http);
    const site = await createSite(a.http, owner, { allowedOrigins: [ORIGIN] });
    const headers = { 'X-Cloop-Site-Key': site.publicKey, 'X-Cloop-Visitor': randomUUID(), Origin: ORIGIN };
    await a.http
      .post(route('/api/v1/widget/session'))
      .set(headers)
      .send({ entryUrl: `${ORIGIN}/` })
      .expect(200);

    const inbox = await RealtimeClient.connect(hostB);
    try {
      inbox.send({ type: 'auth', accessToken: owner.accessToken });
      await inbox.next(ofType('ready'));
      inbox.send({ type: 'subscribe', siteId: site.id });
      await inbox.next(ofType('subscribed'));

      const sent = (
        await a.http
          .post(route('/api/v1/widget/messages'))
          .set(headers)
          .send({ id: randomUUID(), body: 'Hello from A' })
          .expect(201)
      ).body as Message;
      const received = await inbox.next(
        (frame): frame is Extract<ServerFrame, { type: 'message.created' }> =>
          frame.type === 'message.created' && frame.message.id === sent.id,
      );
      expect(received.message.body).toBe('Hello from A');

      // Reconnect on B asking for everything after seq 0: the visitor message and the answer.
      const answer = await inbox.next(
        (frame) => frame.type === 'message.created' && frame.message.author === 'assistant',
      );
      const again = await RealtimeClient.connect(hostB);
      try {
        again.send({ type: 'auth', accessToken: owner.accessToken });
        await again.next(ofType('ready'));
        again.send({ type: 'subscribe', siteId: site.id });
        await again.next(ofType('subscribed'));
        again.send({ type: 'resume', conversationId: sent.conversationId, afterSeq: 0 });
        const lastSeq = answer.type === 'message.created' ? answer.message.seq : 0;
        await again.next((frame) => frame.type === 'message.created' && frame.message.seq === lastSeq);
        const seqs = again.frames.filter(ofType('message.created')).map((frame) => frame.message.seq);
        expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
      } finally {
        again.close();
      }
    } finally {
      inbox.close();
    }
  });
  it('refuses a site key rotated on replica A on replica B immediately, though B had it cached', async () => {
    const owner = await signUp(a.http);
    const site = await createSite(a.http, owner, { allowedOrigins: [ORIGIN] });
    const headers = { 'X-Cloop-Site-Key': site.publicKey, 'X-Cloop-Visitor': randomUUID(), Origin: ORIGIN };
    // B caches the key: its config route then answers without the database.
    await b.http.get(route('/api/v1/widget/config')).set(headers).expect(200);
    await b.http
      .post(route('/api/v1/widget/session'))
      .set(headers)
      .send({ entryUrl: `${ORIGIN}/` })
      .expect(200);

    const rotated = (
      await a.http
        .post(route('/api/v1/sites/{siteId}/rotate-key', { siteId: site.id }))
        .set(owner.auth)
        .expect(200)
    ).body as Site;
    const refused = await b.http.get(route('/api/v1/widget/config')).set(headers).expect(401);
    expect(refused.body).toMatchObject({ code: 'SITE_KEY_INVALID' });
    await b.http
      .post(route('/api/v1/widget/messages'))
      .set(headers)
      .send({ id: randomUUID(), body: 'Hello?' })
      .expect(401);
    await b.http
      .get(route('/api/v1/widget/config'))
      .set({ ...headers, 'X-Cloop-Site-Key': rotated.publicKey })
      .expect(200);
  });

  it('applies allowed origins changed on replica A on replica B within a second', async () => {
    const owner = await signUp(a.http);
    const site = await createSite(a.http, owner, { allowedOrigins: [ORIGIN] });
    const headers = { 'X-Cloop-Site-Key': site.publicKey, Origin: ORIGIN };
    await b.http.get(route('/api/v1/widget/config')).set(headers).expect(200);
    await a.http
      .patch(route('/api/v1/sites/{siteId}', { siteId: site.id }))
      .set(owner.auth)
      .send({ allowedOrigins: ['https://elsewhere.example'] })
      .expect(200);
    // The announcement reaches B through Redis pub/sub, a moment after A answered: B refuses the
    // old origin within a second, where its cache alone would keep the site for 30 s.
    const deadline = Date.now() + 1_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await b.http.get(route('/api/v1/widget/config')).set(headers)).status;
      if (status === 403) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(403);
  });
});
