import type { Site } from '@cloop/contracts';

import {
  addMember,
  createSite,
  createVisitorSession,
  sendVisitorMessage,
  signUp,
  type SignedUpUser,
} from './support/factories';
import { OwnRedis } from './support/own-redis';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

async function inboxSocket(host: string, user: SignedUpUser, siteId: string): Promise<RealtimeClient> {
  const socket = await RealtimeClient.connect(host);
  socket.send({ type: 'auth', accessToken: user.accessToken });
  await socket.next(ofType('ready'));
  socket.send({ type: 'subscribe', siteId });
  await socket.next(ofType('subscribed'));
  return socket;
}

const bodies = (socket: RealtimeClient) =>
  socket.frames.filter(ofType('message.created')).map((frame) => frame.message.body);

/** The owner's team with one more person in it, on `http`, and a site with a visitor. */
async function teamWithSite(t: TestApp, role: 'member' | 'admin') {
  const owner = await signUp(t.http);
  const colleague = await signUp(t.http);
  await addMember(t.http, owner, colleague, role);
  const site: Site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
  const visitor = await createVisitorSession(t.http, site);
  return { owner, colleague, site, visitor };
}

const privacyRequests = (t: TestApp, user: SignedUpUser, siteId: string) =>
  t.http.get(route('/api/v1/sites/{siteId}/privacy/requests', { siteId })).set(user.auth);

// Heartbeats every 30 s (the default) re-check sockets too: these tests must not wait for one.
describe('membership changes on one replica', () => {
  let t: TestApp;
  let host: string;

  beforeAll(async () => {
    t = await startTestApp();
    host = await t.listen();
  });
  afterAll(() => t.close());

  it("stops a removed member's socket from receiving the site's events, message text included, at once", async () => {
    const { owner, colleague, site, visitor } = await teamWithSite(t, 'member');
    const ownerSocket = await inboxSocket(host, owner, site.id);
    const colleagueSocket = await inboxSocket(host, colleague, site.id);
    try {
      await sendVisitorMessage(t.http, visitor.headers, 'Seen by both');
      await colleagueSocket.next((frame) => frame.type === 'message.created');

      await t.http
        .delete(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: owner.organizationId,
            userId: colleague.userId,
          }),
        )
        .set(owner.auth)
        .expect(204);
      const notice = await colleagueSocket.next(ofType('error'));
      expect(notice.code).toBe('SITE_NOT_FOUND');

      const secret = await sendVisitorMessage(t.http, visitor.headers, 'Only for the team');
      await ownerSocket.next((frame) => frame.type === 'message.created' && frame.message.id === secret.id);
      expect(bodies(colleagueSocket)).not.toContain('Only for the team');
      expect(colleagueSocket.frames.slice(colleagueSocket.frames.indexOf(notice) + 1)).toEqual([]);
    } finally {
      ownerSocket.close();
      colleagueSocket.close();
    }
  });

  it('takes admin-only access from a demoted admin at once, although the decision was cached', async () => {
    const { owner, colleague, site } = await teamWithSite(t, 'admin');
    await privacyRequests(t, colleague, site.id).expect(200);
    await privacyRequests(t, colleague, site.id).expect(200);

    await t.http
      .patch(
        route('/api/v1/organizations/{orgId}/members/{userId}', {
          orgId: owner.organizationId,
          userId: colleague.userId,
        }),
      )
      .set(owner.auth)
      .send({ role: 'member' })
      .expect(200);

    await privacyRequests(t, colleague, site.id).expect(403);
    // Still a member: what members may do goes on.
    await t.http
      .get(route('/api/v1/sites/{siteId}/conversations', { siteId: site.id }))
      .set(colleague.auth)
      .expect(200);
  });

  it('lets a member promoted to admin in at once', async () => {
    const { owner, colleague, site } = await teamWithSite(t, 'member');
    await privacyRequests(t, colleague, site.id).expect(403);
    await t.http
      .get(route('/api/v1/sites/{siteId}/conversations', { siteId: site.id }))
      .set(colleague.auth)
      .expect(200);

    await t.http
      .patch(
        route('/api/v1/organizations/{orgId}/members/{userId}', {
          orgId: owner.organizationId,
          userId: colleague.userId,
        }),
      )
      .set(owner.auth)
      .send({ role: 'admin' })
      .expect(200);

    await privacyRequests(t, colleague, site.id).expect(200);
  });
});

// A second replica needs the database server; the notice crosses through a Redis of the test's own.
(process.env['DATABASE_URL'] ? describe : describe.skip)('membership changes across replicas', () => {
  let redis: OwnRedis;
  let a: TestApp;
  let b: TestApp;
  let hostB: string;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    a = await startTestApp({ env: { REDIS_URL: redis.url } });
    b = await startTestApp({ env: a.sharedEnv });
    hostB = await b.listen();
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.down();
  });

  it("narrows a removed member's socket on another replica at once", async () => {
    const { owner, colleague, site, visitor } = await teamWithSite(a, 'member');
    const ownerSocket = await inboxSocket(hostB, owner, site.id);
    const colleagueSocket = await inboxSocket(hostB, colleague, site.id);
    try {
      await a.http
        .delete(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: owner.organizationId,
            userId: colleague.userId,
          }),
        )
        .set(owner.auth)
        .expect(204);
      expect((await colleagueSocket.next(ofType('error'))).code).toBe('SITE_NOT_FOUND');

      const secret = await sendVisitorMessage(a.http, visitor.headers, 'Only for the team');
      await ownerSocket.next((frame) => frame.type === 'message.created' && frame.message.id === secret.id);
      expect(bodies(colleagueSocket)).not.toContain('Only for the team');
    } finally {
      ownerSocket.close();
      colleagueSocket.close();
    }
  });

  it('takes admin-only access from a demoted admin on the other replica at once', async () => {
    const { owner, colleague, site, visitor } = await teamWithSite(a, 'admin');
    const ownerSocket = await inboxSocket(hostB, owner, site.id);
    try {
      await privacyRequests(b, colleague, site.id).expect(200);

      await a.http
        .patch(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: owner.organizationId,
            userId: colleague.userId,
          }),
        )
        .set(owner.auth)
        .send({ role: 'member' })
        .expect(200);
      // The notice and later events leave A on one Redis connection, in order: once B has this
      // message it has applied the notice, well within the cache's few seconds.
      const marker = await sendVisitorMessage(a.http, visitor.headers, 'After the demotion');
      await ownerSocket.next((frame) => frame.type === 'message.created' && frame.message.id === marker.id);

      await privacyRequests(b, colleague, site.id).expect(403);
    } finally {
      ownerSocket.close();
    }
  });
});
