import { REALTIME_CLOSE_CODES } from '@cloop/contracts';

import { ShutdownState } from '../src/lifecycle/shutdown-state';
import { createSite, signUp } from './support/factories';
import { connectionRefused, requestInFlight } from './support/http-in-flight';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp } from './support/test-app';
import { route } from '@cloop/client/route';

/** A console socket, signed in and subscribed, on a listening app. */
async function inboxSocket(host: string, accessToken: string, siteId: string): Promise<RealtimeClient> {
  const socket = await RealtimeClient.connect(host);
  socket.send({ type: 'auth', accessToken });
  await socket.next(ofType('ready'));
  socket.send({ type: 'subscribe', siteId });
  await socket.next(ofType('subscribed'));
  return socket;
}

// What SIGTERM runs (main.ts), in process; replicas-processes.int-spec.ts sends the real signal.
describe('graceful shutdown', () => {
  it('stops accepting, tells sockets to reconnect with 1012, and lets the request in flight finish', async () => {
    const t = await startTestApp();
    try {
      const host = await t.listen();
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner);
      const inbox = await inboxSocket(host, owner.accessToken, site.id);
      const inFlight = await requestInFlight(host, route('/api/v1/auth/login'), {
        email: owner.email,
        password: 'not the password',
      });

      const stopping = t.shutDown(10_000);
      expect(t.app.get(ShutdownState).draining).toBe(true);
      expect((await inbox.closed).code).toBe(REALTIME_CLOSE_CODES.restart);
      expect(await connectionRefused(host)).toBe(true);

      const answer = await inFlight.finish();
      expect(answer.status).toBe(401);
      expect(answer.head.toLowerCase()).toContain('connection: close');
      expect(await stopping).toEqual({ clean: true });
    } finally {
      await t.close();
    }
  });

  it('cuts a request that is still in flight when the grace period is over', async () => {
    const t = await startTestApp();
    try {
      const host = await t.listen();
      const stuck = await requestInFlight(host, route('/api/v1/auth/login'), {
        email: 'a@example.test',
        password: 'x',
      });
      // The body never comes: the shutdown waits the grace period, then closes the connection.
      expect(await t.shutDown(300)).toEqual({ clean: true });
      await stuck.closed;
    } finally {
      await t.close();
    }
  });

  it('with a delay, answers readiness 503 while still serving requests and sockets, then drains', async () => {
    const t = await startTestApp();
    try {
      const host = await t.listen();
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner);
      const inbox = await inboxSocket(host, owner.accessToken, site.id);
      let socketClosed = false;
      void inbox.closed.then(() => (socketClosed = true));

      const stopping = t.shutDown(10_000, 1_500);
      const ready = await fetch(`http://${host}/api/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'error', draining: true });
      // Out of rotation, not yet draining: new connections still get answers, sockets stay open.
      const served = await fetch(`http://${host}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: owner.email, password: 'not the password' }),
      });
      expect(served.status).toBe(401);
      expect(served.headers.get('connection')).not.toBe('close');
      expect(t.app.get(ShutdownState).draining).toBe(false);
      expect(socketClosed).toBe(false);

      expect((await inbox.closed).code).toBe(REALTIME_CLOSE_CODES.restart);
      expect(await connectionRefused(host)).toBe(true);
      expect(await stopping).toEqual({ clean: true });
    } finally {
      await t.close();
    }
  });
});
