import { DomainError } from '../common/domain-error';
import type { RateLimitRule } from '../config/rate-limits';

export interface RateLimitDecision {
  allowed: boolean;
  /** When a refused caller may try again; 0 when allowed. */
  retryAfterMs: number;
}

/** Counters behind every limit: in-process, or shared by every replica through Redis (`REDIS_URL`). */
export abstract class RateLimitStore {
  /** Counts a hit if it fits under the limit. */
  abstract consume(key: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision>;
  /** Whether one more hit would fit, without counting it. */
  abstract check(key: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision>;
  /** Counts a hit regardless of the limit. */
  abstract record(key: string, rule: RateLimitRule, now?: number): Promise<void>;
  /**
   * Takes back one hit counted in the current window: a consumed hit that turned out not to count
   * (a widget message that was a retry of a stored one). Nothing once the window has moved on.
   */
  abstract refund(key: string, rule: RateLimitRule, now?: number): Promise<void>;
  abstract reset(key: string): Promise<void>;

  /** Releases connections; the in-process store has none. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Counts a hit, or refuses it with the one 429 every limit answers (with `Retry-After`). */
  async enforce(key: string, rule: RateLimitRule, message = 'Too many requests; slow down'): Promise<void> {
    const decision = await this.consume(key, rule);
    if (!decision.allowed) {
      throw new DomainError('RATE_LIMITED', message, {
        retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000),
      });
    }
  }
}

interface Counter {
  /** Index of the fixed window `current` counts in. */
  window: number;
  current: number;
  previous: number;
  windowMs: number;
}

/**
 * Sliding-window counter: the previous fixed window's count, weighted by how much of it still
 * overlaps the sliding window, plus the current window's count. Constant memory per key, and no
 * burst of twice the limit at a window boundary as a fixed window would allow.
 */
export class MemoryRateLimitStore extends RateLimitStore {
  private readonly counters = new Map<string, Counter>();
  private lastSweep = 0;

  /** A flood of distinct clients costs bounded memory; the oldest counters go first. */
  constructor(private readonly maxCounters = 100_000) {
    super();
  }

  consume(key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    const decision = this.decide(key, rule, now);
    if (decision.allowed) this.counterAt(key, rule, now).current += 1;
    return Promise.resolve(decision);
  }

  check(key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
    return Promise.resolve(this.decide(key, rule, now));
  }

  record(key: string, rule: RateLimitRule, now = Date.now()): Promise<void> {
    this.counterAt(key, rule, now).current += 1;
    return Promise.resolve();
  }

  refund(key: string, rule: RateLimitRule, now = Date.now()): Promise<void> {
    const counter = this.counters.get(key);
    if (
      counter &&
      counter.windowMs === rule.windowMs &&
      counter.window === Math.floor(now / rule.windowMs) &&
      counter.current > 0
    )
      counter.current -= 1;
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.counters.delete(key);
    return Promise.resolve();
  }

  private decide(key: string, rule: RateLimitRule, now: number): RateLimitDecision {
    this.sweep(now);
    const { current, previous } = this.countsAt(key, rule, now);
    return slidingWindowDecision(current, previous, rule, now);
  }

  /** The counts as of `now`, without creating or rolling a counter (a check must not cost memory). */
  private countsAt(key: string, rule: RateLimitRule, now: number): { current: number; previous: number } {
    const window = Math.floor(now / rule.windowMs);
    const counter = this.counters.get(key);
    if (!counter || counter.windowMs !== rule.windowMs || counter.window < window - 1)
      return { current: 0, previous: 0 };
    if (counter.window === window - 1) return { current: 0, previous: counter.current };
    return { current: counter.current, previous: counter.previous };
  }

  /** The counter to add a hit to, rolled forward to `now`'s window. */
  private counterAt(key: string, rule: RateLimitRule, now: number): Counter {
    const window = Math.floor(now / rule.windowMs);
    const counter = this.counters.get(key);
    if (!counter || counter.windowMs !== rule.windowMs || counter.window < window - 1) {
      const fresh = { window, current: 0, previous: 0, windowMs: rule.windowMs };
      if (!counter && this.counters.size >= this.maxCounters) this.evictOldest();
      this.counters.set(key, fresh);
      return fresh;
    }
    if (counter.window === window - 1) {
      counter.previous = counter.current;
      counter.current = 0;
      counter.window = window;
    }
    return counter;
  }

  private evictOldest(): void {
    const oldest = this.counters.keys().next();
    if (!oldest.done) this.counters.delete(oldest.value);
  }

  /** Drops counters that can no longer refuse anyone, at most once a minute. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, counter] of this.counters) {
      if (Math.floor(now / counter.windowMs) > counter.window + 1) this.counters.delete(key);
    }
  }
}

/** The decision from the two fixed-window counts; pure, so a shared store can reuse it. */
export function slidingWindowDecision(
  current: number,
  previous: number,
  { limit, windowMs }: RateLimitRule,
  now: number,
): RateLimitDecision {
  const elapsed = now % windowMs;
  const previousWeight = 1 - elapsed / windowMs;
  // The epsilon absorbs floating-point error at the exact instant a retry was advertised for.
  if (previous * previousWeight + current + 1 <= limit + 1e-9) return { allowed: true, retryAfterMs: 0 };

  // Refused: find when the weighted estimate will have room for one more hit.
  const room = limit - 1;
  if (current <= room && previous > 0) {
    const elapsedNeeded = windowMs * (1 - (room - current) / previous);
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(elapsedNeeded - elapsed)) };
  }
  // The current window alone is full: wait for it to end, then for its weight to fall enough.
  const intoNextWindow = current > 0 ? windowMs * Math.max(0, 1 - room / current) : 0;
  return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(windowMs - elapsed + intoNextWindow)) };
}
