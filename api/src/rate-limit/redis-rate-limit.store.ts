import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

import { MemoryRateLimitStore, RateLimitStore, slidingWindowDecision } from './rate-limit.store';
import type { RateLimitDecision } from './rate-limit.store';
import type { RateLimitRule } from '../config/rate-limits';

export const RATE_LIMIT_KEY_PREFIX = 'cloop:rate-limit:';

/**
 * The memory store's sliding window, in one Redis hash per key (`w` window index, `c` current
 * count, `p` previous count, `ms` window length), read, decided and written in one atomic step.
 * The clock is Redis's own unless the caller passes one (tests), so replicas whose clocks drift
 * still agree on the window. A key expires once its counts can no longer refuse anyone.
 * Returns `{allowed, current, previous, now}`, the counts as they were before this hit.
 */
const SLIDING_WINDOW_LUA = `
local mode = ARGV[1]
local limit = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local window = math.floor(now / windowMs)
local stored = redis.call('HMGET', KEYS[1], 'w', 'c', 'p', 'ms')
local storedWindow = tonumber(stored[1])
local current, previous, keepWindow = 0, 0, window
if storedWindow and tonumber(stored[4]) == windowMs and storedWindow >= window - 1 then
  if storedWindow == window - 1 then
    previous = tonumber(stored[2]) or 0
  else
    current = tonumber(stored[2]) or 0
    previous = tonumber(stored[3]) or 0
    keepWindow = storedWindow
  end
end
if mode == 'refund' then
  if storedWindow == window and tonumber(stored[4]) == windowMs and current > 0 then
    redis.call('HINCRBY', KEYS[1], 'c', -1)
  end
  return { 1, current, previous, now }
end
local weight = 1 - (now % windowMs) / windowMs
local allowed = previous * weight + current + 1 <= limit + 1e-9
if mode == 'record' or (mode == 'consume' and allowed) then
  redis.call('HSET', KEYS[1], 'w', keepWindow, 'c', current + 1, 'p', previous, 'ms', windowMs)
  redis.call('PEXPIRE', KEYS[1], (keepWindow + 2) * windowMs - now)
end
return { allowed and 1 or 0, current, previous, now }
`;

type Mode = 'consume' | 'check' | 'record' | 'refund';
type ScriptReply = [allowed: number, current: number, previous: number, now: number];

interface RedisWithRateLimit extends Redis {
  cloopRateLimit(key: string, mode: Mode, limit: number, windowMs: number, now: string): Promise<unknown>;
}

/** How often a Redis outage is logged while it lasts. */
const WARN_EVERY_MS = 30_000;

/**
 * Counters shared by every replica through Redis (`REDIS_URL`): a limit holds for the whole
 * deployment, whichever replica a request lands on.
 *
 * When Redis fails (down, or slower than `commandTimeoutMs`) the store fails *open to per-process
 * limits*: it counts in this process's memory until Redis answers again, and logs a warning every
 * 30 s. Failing closed would turn a Redis outage into a full outage (every request a 429 or 500,
 * sign-in included); failing fully open would drop the brute-force protection of sign-in. Per
 * process, the limits still hold, only multiplied by the number of replicas while Redis is away.
 */
export class RedisRateLimitStore extends RateLimitStore {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new MemoryRateLimitStore();
  private lastWarning = 0;

  private constructor(private readonly redis: RedisWithRateLimit) {
    super();
  }

  static async connect(
    url: string,
    options: { commandTimeoutMs?: number } = {},
  ): Promise<RedisRateLimitStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      // A request waits for its counter at most this long, and never for a reconnect.
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    }) as RedisWithRateLimit;
    redis.defineCommand('cloopRateLimit', { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
    const store = new RedisRateLimitStore(redis);
    redis.on('error', (error: Error) => store.warn(error));
    await redis.connect();
    return store;
  }

  consume(key: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision> {
    return this.decide('consume', key, rule, now, () => this.fallback.consume(key, rule, now));
  }

  check(key: string, rule: RateLimitRule, now?: number): Promise<RateLimitDecision> {
    return this.decide('check', key, rule, now, () => this.fallback.check(key, rule, now));
  }

  async record(key: string, rule: RateLimitRule, now?: number): Promise<void> {
    await this.decide('record', key, rule, now, async () => {
      await this.fallback.record(key, rule, now);
      return { allowed: true, retryAfterMs: 0 };
    });
  }

  async refund(key: string, rule: RateLimitRule, now?: number): Promise<void> {
    await this.decide('refund', key, rule, now, async () => {
      await this.fallback.refund(key, rule, now);
      return { allowed: true, retryAfterMs: 0 };
    });
  }

  async reset(key: string): Promise<void> {
    await this.fallback.reset(key);
    try {
      await this.redis.del(RATE_LIMIT_KEY_PREFIX + key);
    } catch (error) {
      this.warn(error);
    }
  }

  override async close(): Promise<void> {
    // `quit` waits for an answer; a connection that is down only needs to stop reconnecting.
    if (
      this.redis.status === 'ready' &&
      (await this.redis.quit().then(
        () => true,
        () => false,
      ))
    )
      return;
    this.redis.disconnect();
  }

  private async decide(
    mode: Mode,
    key: string,
    rule: RateLimitRule,
    now: number | undefined,
    fallback: () => Promise<RateLimitDecision>,
  ): Promise<RateLimitDecision> {
    let reply: unknown;
    try {
      reply = await this.redis.cloopRateLimit(
        RATE_LIMIT_KEY_PREFIX + key,
        mode,
        rule.limit,
        rule.windowMs,
        now === undefined ? '' : String(now),
      );
      if (!isScriptReply(reply)) throw new Error('unexpected reply to the rate-limit script');
    } catch (error) {
      this.warn(error);
      return fallback();
    }
    const [allowed, current, previous, at] = reply;
    if (allowed === 1) return { allowed: true, retryAfterMs: 0 };
    const decision = slidingWindowDecision(current, previous, rule, at);
    // Redis decided; the same formula only says when to come back.
    return decision.allowed ? { allowed: false, retryAfterMs: 1 } : decision;
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(
      `Redis unavailable for rate limits (${error instanceof Error ? error.message : 'error'}): counting per process until it is back`,
    );
  }
}

/** What the script returns; anything else (a proxy, a Redis-compatible server without Lua) is a failure. */
function isScriptReply(reply: unknown): reply is ScriptReply {
  return Array.isArray(reply) && reply.length === 4 && reply.every((value) => typeof value === 'number');
}
