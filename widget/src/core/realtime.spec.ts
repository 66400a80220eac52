import { FakeSocket } from '../testing/fakes';
import { RealtimeConnection, type RealtimeHandlers } from './realtime';

describe('RealtimeConnection', () => {
  let handlers: jest.Mocked<RealtimeHandlers>;
  let connection: RealtimeConnection;

  beforeEach(() => {
    jest.useFakeTimers();
    FakeSocket.all = [];
    handlers = { onReady: jest.fn(), onFrame: jest.fn(), onDown: jest.fn(), onErased: jest.fn() };
    connection = new RealtimeConnection(
      'https://chat.example.com',
      () => ({ type: 'auth', siteKey: 'pk_x', visitorId: 'v1' }),
      handlers,
      (url) => new FakeSocket(url) as unknown as WebSocket,
    );
    connection.start();
  });

  afterEach(() => {
    connection.stop();
    jest.useRealTimers();
  });

  it('reconnects and authenticates again when a replica shuts down (close code 1012)', () => {
    FakeSocket.latest().accept();
    expect(handlers.onReady).toHaveBeenCalledTimes(1);

    FakeSocket.latest().drop(1012);
    expect(handlers.onDown).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1_000);

    expect(FakeSocket.all).toHaveLength(2);
    const next = FakeSocket.latest();
    expect(next.url).toBe('wss://chat.example.com/api/v1/realtime');
    next.accept();
    expect(next.sent[0]).toEqual({ type: 'auth', siteKey: 'pk_x', visitorId: 'v1' });
    expect(handlers.onReady).toHaveBeenCalledTimes(2);
  });

  it('stays closed after the visitor was erased (close code 4410)', () => {
    FakeSocket.latest().accept();
    FakeSocket.latest().drop(4410);
    jest.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(handlers.onErased).toHaveBeenCalledTimes(1);
  });
});
