import { MemoryRateLimitStore } from './rate-limit.store';

const rule = { limit: 3, windowMs: 60_000 };
const windowStart = 6_000_000; // a multiple of the window

describe('MemoryRateLimitStore', () => {
  it('allows hits up to the limit and refuses the next one with a retry time', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 3; i++) expect((await store.consume('k', rule, windowStart + i)).allowed).toBe(true);
    const refused = await store.consume('k', rule, windowStart + 10);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
  });

  it('does not count refused hits', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 10; i++) await store.consume('k', rule, windowStart + i);
    // Half-way through the next window the previous three weigh 1.5: one more hit fits.
    expect((await store.consume('k', rule, windowStart + 90_000)).allowed).toBe(true);
  });

  it('slides: hits of the previous window still count in proportion to their overlap', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 3; i++) await store.consume('k', rule, windowStart + 59_000);
    // 10% into the next window, the previous three weigh 2.7: a fixed window would allow 3 more.
    expect((await store.consume('k', rule, windowStart + 66_000)).allowed).toBe(false);
    expect((await store.consume('k', rule, windowStart + 120_500)).allowed).toBe(true);
  });

  it('lets a refused caller in once the advertised retry time has passed', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 3; i++) await store.consume('k', rule, windowStart + 30_000);
    const refused = await store.consume('k', rule, windowStart + 40_000);
    expect(refused.allowed).toBe(false);
    const retryAt = windowStart + 40_000 + refused.retryAfterMs;
    expect((await store.check('k', rule, retryAt - 1_000)).allowed).toBe(false);
    expect((await store.check('k', rule, retryAt)).allowed).toBe(true);
  });

  it('takes back a hit of the current window on refund, and none of a window gone by', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 3; i++) await store.consume('k', rule, windowStart + i);
    await store.refund('k', rule, windowStart + 10);
    expect((await store.consume('k', rule, windowStart + 20)).allowed).toBe(true);
    expect((await store.consume('k', rule, windowStart + 30)).allowed).toBe(false);

    await store.refund('k', rule, windowStart + 60_000);
    // Nothing was taken back from the previous window: 10% into the next, it still weighs 2.7.
    expect((await store.check('k', rule, windowStart + 66_000)).allowed).toBe(false);
    // And a refund never goes below zero.
    await store.refund('fresh', rule, windowStart);
    for (let i = 0; i < 3; i++) expect((await store.consume('fresh', rule, windowStart)).allowed).toBe(true);
    expect((await store.consume('fresh', rule, windowStart)).allowed).toBe(false);
  });

  it('keeps keys apart and forgets a key on reset', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 3; i++) await store.record('a', rule, windowStart);
    expect((await store.check('a', rule, windowStart)).allowed).toBe(false);
    expect((await store.check('b', rule, windowStart)).allowed).toBe(true);
    await store.reset('a');
    expect((await store.check('a', rule, windowStart)).allowed).toBe(true);
  });
});

describe('MemoryRateLimitStore memory', () => {
  it('keeps at most its maximum number of counters, forgetting the oldest first', async () => {
    const store = new MemoryRateLimitStore(2);
    for (let i = 0; i < 3; i++) await store.record('oldest', rule, windowStart);
    await store.record('second', rule, windowStart);
    await store.record('third', rule, windowStart);
    expect((await store.check('oldest', rule, windowStart)).allowed).toBe(true);
    await store.record('second', rule, windowStart);
    await store.record('second', rule, windowStart);
    expect((await store.check('second', rule, windowStart)).allowed).toBe(false);
  });
});
