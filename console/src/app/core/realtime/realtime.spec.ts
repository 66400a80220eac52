import { provideHttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  CONSOLE_STORAGE_KEYS,
  REALTIME_CLOSE_CODES,
  type RealtimeEvent,
  type ServerFrame,
} from '@cloop/contracts';

import { AuthStore } from '../auth/auth.store';
import { Realtime } from './realtime';

/** Just enough of a browser WebSocket to play the server's side of the protocol. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

describe('Realtime', () => {
  let realtime: Realtime;
  let auth: AuthStore;

  beforeEach(() => {
    jest.useFakeTimers();
    FakeSocket.all = [];
    (globalThis as unknown as { WebSocket: unknown }).WebSocket = FakeSocket;
    localStorage.clear();
    localStorage.setItem(CONSOLE_STORAGE_KEYS.accessToken, 'a1');
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideRouter([])] });
    realtime = TestBed.inject(Realtime);
    auth = TestBed.inject(AuthStore);
  });

  afterEach(() => jest.useRealTimers());

  it('authenticates with the access token, subscribes to the site and hands events on', () => {
    const events: RealtimeEvent[] = [];
    realtime.on((event) => events.push(event));
    realtime.watch('site-1');
    const socket = FakeSocket.all[0];
    expect(socket?.url).toMatch(/^ws:\/\/[^/]+\/api\/v1\/realtime$/);
    socket?.open();
    socket?.receive({ type: 'ready' });
    socket?.receive({ type: 'subscribed', siteId: 'site-1' });
    socket?.receive({ type: 'conversation.deleted', siteId: 'site-1', conversationId: 'c1' });

    expect(socket?.sent).toEqual([
      { type: 'auth', accessToken: 'a1' },
      { type: 'subscribe', siteId: 'site-1' },
    ]);
    expect(realtime.status()).toBe('live');
    expect(events).toEqual([{ type: 'conversation.deleted', siteId: 'site-1', conversationId: 'c1' }]);
  });

  it("sends an agent's typing hint only once subscribed to the site", () => {
    realtime.watch('site-1');
    const socket = FakeSocket.all[0];
    realtime.typing('c1');
    socket?.open();
    socket?.receive({ type: 'ready' });
    realtime.typing('c1');
    socket?.receive({ type: 'subscribed', siteId: 'site-1' });
    realtime.typing('c1');

    expect(socket?.sent).toEqual([
      { type: 'auth', accessToken: 'a1' },
      { type: 'subscribe', siteId: 'site-1' },
      { type: 'typing', conversationId: 'c1' },
    ]);
  });

  it('refreshes the token after a 4401 close and reconnects with the new one', async () => {
    const refresh = jest.spyOn(auth, 'refresh').mockImplementation(() => {
      auth.accept({
        accessToken: 'a2',
        refreshToken: 'r2',
        accessTokenExpiresAt: '',
        refreshTokenExpiresAt: '',
        user: { id: 'u', email: 'e', name: 'n', createdAt: '', emailVerified: true },
      });
      return Promise.resolve('a2');
    });
    realtime.watch('site-1');
    FakeSocket.all[0]?.open();
    FakeSocket.all[0]?.drop(4401);
    expect(realtime.status()).toBe('offline');
    await Promise.resolve();
    jest.runOnlyPendingTimers();

    expect(refresh).toHaveBeenCalledTimes(1);
    const second = FakeSocket.all[1];
    second?.open();
    expect(second?.sent[0]).toEqual({ type: 'auth', accessToken: 'a2' });
  });

  it.each([
    ['a dropped connection (1006)', 1006],
    ['a replica shutting down (1012)', REALTIME_CLOSE_CODES.restart],
  ])('reconnects after %s and tells stores to catch up', (_, code) => {
    const caughtUp = jest.fn();
    realtime.onResubscribed(caughtUp);
    realtime.watch('site-1');
    const first = FakeSocket.all[0];
    first?.open();
    first?.receive({ type: 'ready' });
    first?.receive({ type: 'subscribed', siteId: 'site-1' });
    first?.drop(code);
    jest.advanceTimersByTime(1000);

    const second = FakeSocket.all[1];
    second?.open();
    second?.receive({ type: 'ready' });
    second?.receive({ type: 'subscribed', siteId: 'site-1' });
    expect(caughtUp).toHaveBeenCalledTimes(2);
  });

  it('closes the socket and stays closed when there is no site', () => {
    realtime.watch('site-1');
    realtime.watch(null);
    jest.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(realtime.status()).toBe('offline');
  });
});
