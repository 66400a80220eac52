import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

/**
 * Whether Redis answers, probed on a connection of its own: the probe never queues behind event
 * traffic, and without an offline queue a lost connection fails the probe at once instead of
 * waiting for the reconnect. The client keeps reconnecting in the background.
 */
@Injectable()
export class RedisHealth implements OnApplicationShutdown {
  private readonly client: Redis | null;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.client = config.redisUrl
      ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
      : null;
    // Connection errors are what the probe reports; unheard, ioredis would print each one.
    this.client?.on('error', () => undefined);
  }

  get configured(): boolean {
    return this.client !== null;
  }

  async isUp(): Promise<boolean> {
    try {
      return (await this.client?.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}
