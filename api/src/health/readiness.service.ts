import type { ReadyResponse } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import { DatabaseHealth } from '../database/database-health';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { RedisHealth } from './redis-health';

/** A dependency slower than this counts as down: an orchestrator's probe must get an answer. */
export const PROBE_TIMEOUT_MS = 2_000;

@Injectable()
export class ReadinessService {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly redis: RedisHealth,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Both dependencies probed at once, so a slow one does not delay the other's answer. */
  async check(): Promise<ReadyResponse> {
    const [databaseUp, redisUp] = await Promise.all([
      withinTime(this.database.isUp()),
      this.redis.configured ? withinTime(this.redis.isUp()) : null,
    ]);
    const redis = redisUp === null ? 'disabled' : redisUp ? 'up' : 'down';
    const draining = this.shutdown.leaving;
    return {
      status: !databaseUp || draining ? 'error' : redis === 'down' ? 'degraded' : 'ok',
      database: databaseUp ? 'up' : 'down',
      redis,
      draining,
    };
  }
}

async function withinTime(probe: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
