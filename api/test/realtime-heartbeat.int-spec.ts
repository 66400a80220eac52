import { randomUUID } from 'node:crypto';

import { REALTIME_CLOSE_CODES, type Site } from '@cloop/contracts';

import { addMember, createSite, type SignedUpUser, signUp } from './support/factories';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

describe('realtime heartbeat', () => {
  let t: TestApp;
  let host: string;
  let owner: SignedUpUser;
  let site: Site;

  beforeAll(async () => {
    t = await startTestApp({ heartbeatMs: 150 });
    host = await t.listen();
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
  });
  afterAll(() => t.close());

  const subscribed = async (user: SignedUpUser) => {
    const socket = await RealtimeClient.connect(host);
    socket.send({ type: 'auth', accessToken: user.accessToken });
    socket.send({ type: 'subscribe', siteId: site.id });
    await socket.next(ofType('subscribed'));
    return socket;
  };

  it('closes a console socket once its session has signed out', async () => {
    const user = await signUp(t.http);
    await addMember(t.http, owner, user, 'member');
    const socket = await subscribed(user);

    await t.http.post(route('/api/v1/auth/logout')).send({ refreshToken: user.refreshToken }).expect(204);

    expect((await socket.closed).code).toBe(REALTIME_CLOSE_CODES.unauthenticated);
  });

  it('stops sending a site’s events to a user removed from its organization', async () => {
    const user = await signUp(t.http);
    await addMember(t.http, owner, user, 'member');
    const socket = await subscribed(user);
    try {
      await t.http
        .delete(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: owner.organizationId,
            userId: user.userId,
          }),
        )
        .set(owner.auth)
        .expect(204);
      expect((await socket.next(ofType('error'), 2_000)).code).toBe('SITE_NOT_FOUND');

      const headers = { 'X-Cloop-Site-Key': site.publicKey, 'X-Cloop-Visitor': randomUUID(), Origin: ORIGIN };
      await t.http
        .post(route('/api/v1/widget/session'))
        .set(headers)
        .send({ entryUrl: `${ORIGIN}/` })
        .expect(200);
      await t.http
        .post(route('/api/v1/widget/messages'))
        .set(headers)
        .send({ id: randomUUID(), body: 'After removal' })
        .expect(201);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(socket.frames.filter((frame) => frame.type === 'message.created')).toEqual([]);
    } finally {
      socket.close();
    }
  });
});
