import Redis from 'ioredis';

import { type BusEvent, type BusMessage, EventBus } from './event-bus';

const CHANNEL = 'cloop:events';

/**
 * Events cross processes through one Redis channel. Publishing does not deliver locally: every
 * process, the publisher included, receives from Redis, so one code path serves them all.
 */
export class RedisEventBus extends EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  private constructor(url: string) {
    super();
    const options = { maxRetriesPerRequest: 3, lazyConnect: true };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
  }

  static async connect(url: string): Promise<RedisEventBus> {
    const bus = new RedisEventBus(url);
    await Promise.all([bus.publisher.connect(), bus.subscriber.connect()]);
    bus.subscriber.on('message', (_channel: string, payload: string) => bus.receive(payload));
    await bus.subscriber.subscribe(CHANNEL);
    return bus;
  }

  async publish(event: BusEvent, visitorId: string): Promise<void> {
    const message: BusMessage = { event, visitorId };
    await this.publisher.publish(CHANNEL, JSON.stringify(message));
  }

  override async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }

  private receive(payload: string): void {
    try {
      this.deliver(JSON.parse(payload) as BusMessage);
    } catch {
      this.logger.error('dropped a malformed event from Redis');
    }
  }
}
