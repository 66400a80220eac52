import { randomUUID } from 'node:crypto';

import Redis, { type RedisOptions } from 'ioredis';

import { BusOutage } from './bus-outage';
import { type BusEvent, type BusMessage, type BusNotice, EventBus } from './event-bus';

const CHANNEL = 'cloop:events';
/** Publishes waiting for Redis at most: beyond this a hung Redis costs memory, so they are dropped. */
const MAX_IN_FLIGHT = 1_000;
/** A publish Redis has not answered by then counts as failed (a hung server, not a closed one). */
const COMMAND_TIMEOUT_MS = 1_000;

/** What crosses Redis: a message or a notice, tagged with the replica that sent it. */
type WireMessage = { origin: string } & (BusMessage | { notice: BusNotice });

/**
 * Events cross processes through one Redis channel. A replica delivers its own events to its own
 * sockets at once and skips them when Redis echoes them back (each message carries the sender's
 * id), so Redis is only needed between replicas. Publishing never waits for Redis: while it is down
 * or slow, messages are dropped (counted, logged once per outage), and when it is back every
 * replica tells its clients to catch up from the database (`events.missed`).
 */
export class RedisEventBus extends EventBus {
  private readonly origin = randomUUID();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly outage = new BusOutage(this.logger);
  private inFlight = 0;
  private closing = false;

  private constructor(url: string) {
    super();
    // No offline queue and no retries: a publish either goes out now or is dropped at once.
    this.publisher = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
    } satisfies RedisOptions);
    // The subscriber re-subscribes by itself after a reconnect (ioredis `autoResubscribe`).
    this.subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    for (const connection of [this.publisher, this.subscriber]) {
      // Unheard, ioredis prints every connection error ("Unhandled error event") while Redis is down.
      connection.on('error', (error: Error) => this.outage.begin(describe(error)));
      connection.on('close', () => {
        if (!this.closing) this.outage.begin('connection closed');
      });
      connection.on('ready', () => void this.maybeRecovered());
    }
  }

  static async connect(url: string): Promise<RedisEventBus> {
    const bus = new RedisEventBus(url);
    await Promise.all([bus.publisher.connect(), bus.subscriber.connect()]);
    bus.subscriber.on('message', (_channel: string, payload: string) => bus.receive(payload));
    await bus.subscriber.subscribe(CHANNEL);
    return bus;
  }

  /** Messages not shared with other replicas since start, and whether Redis is away right now. */
  get sharing(): { down: boolean; dropped: number } {
    return { down: this.outage.active, dropped: this.outage.droppedTotal };
  }

  publish(event: BusEvent, visitorId: string): Promise<void> {
    this.deliver({ event, visitorId });
    this.share({ origin: this.origin, event, visitorId });
    return Promise.resolve();
  }

  announce(notice: BusNotice): Promise<void> {
    this.deliverNotice(notice);
    this.share({ origin: this.origin, notice });
    return Promise.resolve();
  }

  override async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }

  /** Hands a message to Redis without waiting for it; a failure is counted, never thrown. */
  private share(message: WireMessage): void {
    if (this.publisher.status !== 'ready') return this.outage.dropped(`connection ${this.publisher.status}`);
    if (this.inFlight >= MAX_IN_FLIGHT) return this.outage.dropped('too many publishes waiting');
    this.inFlight += 1;
    this.publisher.publish(CHANNEL, JSON.stringify(message)).then(
      () => {
        this.inFlight -= 1;
        // Redis hung and answers again without a reconnect: no `ready` event will say so.
        if (this.outage.active) void this.maybeRecovered();
      },
      (error: unknown) => {
        this.inFlight -= 1;
        this.outage.dropped(describe(error));
      },
    );
  }

  /**
   * Both connections are back: this replica's clients may have missed other replicas' events, and
   * other replicas' clients those this one dropped, so every replica's clients catch up.
   */
  private async maybeRecovered(): Promise<void> {
    if (!this.outage.active || this.publisher.status !== 'ready' || this.subscriber.status !== 'ready')
      return;
    try {
      // Answered after the re-subscription: from here on no event can slip between the two.
      await this.subscriber.ping();
    } catch {
      return; // down again; the next `ready` tries once more
    }
    if (!this.outage.active) return;
    const dropped = this.outage.end();
    this.deliverNotice({ type: 'events.missed' });
    if (dropped > 0) this.share({ origin: this.origin, notice: { type: 'events.missed' } });
  }

  private receive(payload: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(payload) as WireMessage;
    } catch {
      this.logger.error('dropped a malformed event from Redis');
      return;
    }
    // Our own message: already delivered here when it was published.
    if (message.origin === this.origin) return;
    if ('notice' in message) this.deliverNotice(message.notice);
    else this.deliver(message);
  }
}

/** An error's kind and code, never a message that could echo a payload. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'error';
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.name} ${code}` : error.message.slice(0, 80);
}
