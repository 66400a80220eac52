import type { RealtimeEvent } from '@cloop/contracts';
import { Logger } from '@nestjs/common';

export type EventListener = (event: RealtimeEvent) => void;

/**
 * Fan-out of realtime events to every process: in-process by default, Redis pub/sub when
 * `REDIS_URL` is set. Publishers call it after their transaction commits.
 */
export abstract class EventBus {
  abstract publish(event: RealtimeEvent): Promise<void>;
  /** Returns the function that unsubscribes. */
  abstract subscribe(listener: EventListener): () => void;
}

export class InProcessEventBus extends EventBus {
  private readonly logger = new Logger('EventBus');
  private readonly listeners = new Set<EventListener>();

  publish(event: RealtimeEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber must not keep the event from the others.
        this.logger.error(
          `listener failed on ${event.type}: ${error instanceof Error ? error.name : 'error'}`,
        );
      }
    }
    return Promise.resolve();
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
