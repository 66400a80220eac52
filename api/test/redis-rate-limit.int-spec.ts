import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

import Redis from 'ioredis';

import { MemoryRateLimitStore, type RateLimitStore } from '../src/rate-limit/rate-limit.store';
import { RATE_LIMIT_KEY_PREFIX, RedisRateLimitStore } from '../src/rate-limit/redis-rate-limit.store';

const redisUrl = process.env['REDIS_URL'];
const rule = { limit: 3, windowMs: 60_000 };
const windowStart = 6_000_000; // a multiple of the window

/** A key of its own per test: runs share the Redis server. */
const freshKey = (): string => `test:${randomBytes(8).toString('hex')}`;

// The same cases as the memory store's unit spec, on both stores: they must decide alike.
describe.each([
  ['MemoryRateLimitStore', () => Promise.resolve(new MemoryRateLimitStore())],
  ...(redisUrl ? [['RedisRateLimitStore', () => RedisRateLimitStore.connect(redisUrl)] as const] : []),
] as [string, () => Promise<RateLimitStore>][])('%s sliding window', (_, open) => {
  let store: RateLimitStore;
  let k: string;
  beforeAll(async () => (store = await open()));
  afterAll(() => store.close());
  beforeEach(() => (k = freshKey()));

  it('allows hits up to the limit and refuses the next one with a retry time', async () => {
    for (let i = 0; i < 3; i++) expect((await store.consume(k, rule, windowStart + i)).allowed).toBe(true);
    const refused = await store.consume(k, rule, windowStart + 10);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
  });

  it('does not count refused hits', async () => {
    for (let i = 0; i < 10; i++) await store.consume(k, rule, windowStart + i);
    expect((await store.consume(k, rule, windowStart + 90_000)).allowed).toBe(true);
  });

  it('slides: hits of the previous window still count in proportion to their overlap', async () => {
    for (let i = 0; i < 3; i++) await store.consume(k, rule, windowStart + 59_000);
    expect((await store.consume(k, rule, windowStart + 66_000)).allowed).toBe(false);
    expect((await store.consume(k, rule, windowStart + 120_500)).allowed).toBe(true);
  });

  it('lets a refused caller in once the advertised retry time has passed', async () => {
    for (let i = 0; i < 3; i++) await store.consume(k, rule, windowStart + 30_000);
    const refused = await store.consume(k, rule, windowStart + 40_000);
    expect(refused.allowed).toBe(false);
    const retryAt = windowStart + 40_000 + refused.retryAfterMs;
    expect((await store.check(k, rule, retryAt - 1_000)).allowed).toBe(false);
    expect((await store.check(k, rule, retryAt)).allowed).toBe(true);
  });

  it('takes back a hit of the current window on refund, and none of a window gone by', async () => {
    for (let i = 0; i < 3; i++) await store.consume(k, rule, windowStart + i);
    await store.refund(k, rule, windowStart + 10);
    expect((await store.consume(k, rule, windowStart + 20)).allowed).toBe(true);
    expect((await store.consume(k, rule, windowStart + 30)).allowed).toBe(false);
    await store.refund(k, rule, windowStart + 60_000);
    expect((await store.check(k, rule, windowStart + 66_000)).allowed).toBe(false);
    const fresh = freshKey();
    await store.refund(fresh, rule, windowStart);
    for (let i = 0; i < 3; i++) expect((await store.consume(fresh, rule, windowStart)).allowed).toBe(true);
    expect((await store.consume(fresh, rule, windowStart)).allowed).toBe(false);
  });

  it('keeps keys apart and forgets a key on reset', async () => {
    const other = freshKey();
    for (let i = 0; i < 3; i++) await store.record(k, rule, windowStart);
    expect((await store.check(k, rule, windowStart)).allowed).toBe(false);
    expect((await store.check(other, rule, windowStart)).allowed).toBe(true);
    await store.reset(k);
    expect((await store.check(k, rule, windowStart)).allowed).toBe(true);
  });

  it('starts over when a rule changes its window length', async () => {
    for (let i = 0; i < 3; i++) await store.consume(k, rule, windowStart);
    expect((await store.consume(k, { limit: 3, windowMs: 30_000 }, windowStart)).allowed).toBe(true);
  });
});

(redisUrl ? describe : describe.skip)('RedisRateLimitStore', () => {
  let redis: Redis;
  const stores: RedisRateLimitStore[] = [];
  const open = async (options?: { commandTimeoutMs?: number }): Promise<RedisRateLimitStore> => {
    const store = await RedisRateLimitStore.connect(redisUrl ?? '', options);
    stores.push(store);
    return store;
  };

  beforeAll(() => (redis = new Redis(redisUrl ?? '')));
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis.quit();
  });

  it('shares counters between stores, as replicas share them', async () => {
    const [a, b] = [await open(), await open()];
    const key = freshKey();
    expect((await a.consume(key, rule)).allowed).toBe(true);
    expect((await b.consume(key, rule)).allowed).toBe(true);
    expect((await a.consume(key, rule)).allowed).toBe(true);
    const refused = await b.consume(key, rule);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
  });

  it('never lets concurrent hits past the limit', async () => {
    const [a, b] = [await open(), await open()];
    const key = freshKey();
    const limit = { limit: 10, windowMs: 60_000 };
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).consume(key, limit)),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
  });

  it('keeps each counter under a prefix, expiring once it can no longer refuse anyone', async () => {
    const store = await open();
    const key = freshKey();
    await store.record(key, rule, windowStart + 15_000);
    const ttl = await redis.pttl(RATE_LIMIT_KEY_PREFIX + key);
    // The counter is needed until the end of the next window: 45 s of this one and 60 s of the next.
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(105_000);
  });

  it('stores nothing for a check', async () => {
    const store = await open();
    const key = freshKey();
    await store.check(key, rule);
    expect(await redis.exists(RATE_LIMIT_KEY_PREFIX + key)).toBe(0);
  });

  describe('when Redis stops answering', () => {
    let proxy: Server;
    let port: number;
    let held: (() => void)[] | null = null;
    const sockets = new Set<Socket>();
    const freeze = (): void => void (held = []);
    const thaw = (): void => {
      const pending = held ?? [];
      held = null;
      pending.forEach((send) => send());
    };
    beforeAll(async () => {
      // Forwards to Redis, or holds every byte while frozen: a Redis that hangs, then recovers.
      const target = new URL(redisUrl ?? '');
      proxy = createServer((client) => {
        sockets.add(client);
        const upstream = connect(Number(target.port || 6379), target.hostname);
        const forward = (to: Socket) => (data: Buffer) => {
          if (held) held.push(() => to.write(data));
          else to.write(data);
        };
        client.on('data', forward(upstream));
        upstream.on('data', forward(client));
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      port = (proxy.address() as { port: number }).port;
    });
    afterAll(async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => proxy.close(resolve));
    });

    it('fails open to per-process limits, still refusing past the limit, and shares again once Redis answers', async () => {
      const direct = await open();
      const viaProxy = await RedisRateLimitStore.connect(`redis://127.0.0.1:${port}`, {
        commandTimeoutMs: 200,
      });
      const key = freshKey();
      expect((await viaProxy.consume(key, rule)).allowed).toBe(true);

      freeze();
      try {
        // Timed out in Redis: counted in this process instead, from zero, up to the same limit.
        for (let i = 0; i < 3; i++) expect((await viaProxy.consume(key, rule)).allowed).toBe(true);
        expect((await viaProxy.consume(key, rule)).allowed).toBe(false);
      } finally {
        thaw();
      }
      // Redis answers again: counters are shared again.
      const later = freshKey();
      for (let i = 0; i < 3; i++) expect((await viaProxy.consume(later, rule)).allowed).toBe(true);
      expect((await direct.consume(later, rule)).allowed).toBe(false);
      await viaProxy.close();
    });
  });
});
