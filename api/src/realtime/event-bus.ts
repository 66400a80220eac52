import type { RealtimeEvent, ServerFrame } from '@cloop/contracts';
import { Logger } from '@nestjs/common';

/** What travels between processes: the events, and the notice that a visitor's data was erased. */
export type BusEvent = RealtimeEvent | Extract<ServerFrame, { type: 'visitor.erased' }>;

/** An event and the visitor it concerns (every event is about one visitor's conversation). */
export interface BusMessage {
  event: BusEvent;
  /** The visitor's record id, so a visitor's socket gets only its own conversation. */
  visitorId: string;
}

export type BusListener = (message: BusMessage) => void;

/**
 * Fan-out of realtime events to every process: in-process by default, Redis pub/sub when
 * `REDIS_URL` is set. Publishers call it after their transaction commits.
 */
export abstract class EventBus {
  protected readonly logger = new Logger('EventBus');
  private readonly listeners = new Set<BusListener>();

  abstract publish(event: BusEvent, visitorId: string): Promise<void>;

  /** Releases connections; the in-process bus has none. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands a message to this process's listeners; one failing listener does not stop the others. */
  protected deliver(message: BusMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.logger.error(
          `listener failed on ${message.event.type}: ${error instanceof Error ? error.name : 'error'}`,
        );
      }
    }
  }
}

export class InProcessEventBus extends EventBus {
  publish(event: BusEvent, visitorId: string): Promise<void> {
    this.deliver({ event, visitorId });
    return Promise.resolve();
  }
}
