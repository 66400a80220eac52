import type { RealtimeEvent, Role, ServerFrame } from '@cloop/contracts';
import { Logger } from '@nestjs/common';

/** What travels between processes: the events, and the notice that a visitor's data was erased. */
export type BusEvent = RealtimeEvent | Extract<ServerFrame, { type: 'visitor.erased' }>;

/** An event and the visitor it concerns (every event is about one visitor's conversation). */
export interface BusMessage {
  event: BusEvent;
  /** The visitor's record id, so a visitor's socket gets only its own conversation. */
  visitorId: string;
}

/** Facts for the replicas themselves, never sent to a client as they are. */
export type BusNotice =
  /** A member was removed (`role` null) or given another role: drop cached access, narrow their sockets. */
  | { type: 'membership.changed'; organizationId: string; userId: string; role: Role | null }
  /**
   * Some events may not have reached this replica (or were not shared by another): every client
   * should catch up from the database, and cached access decisions may be stale.
   */
  | { type: 'events.missed' };

export type BusListener = (message: BusMessage) => void;
export type NoticeListener = (notice: BusNotice) => void;

/**
 * Fan-out of realtime events to every process: in-process by default, Redis pub/sub when
 * `REDIS_URL` is set. Publishers call it after their transaction commits; it never waits for
 * another process, and this process's own listeners always get the message at once.
 */
export abstract class EventBus {
  protected readonly logger = new Logger('EventBus');
  private readonly listeners = new Set<BusListener>();
  private readonly noticeListeners = new Set<NoticeListener>();

  abstract publish(event: BusEvent, visitorId: string): Promise<void>;

  /** Tells every replica, this one included (at once), about a change they must act on. */
  abstract announce(notice: BusNotice): Promise<void>;

  /** Releases connections; the in-process bus has none. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns the function that unsubscribes. */
  onNotice(listener: NoticeListener): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** Hands a message to this process's listeners; one failing listener does not stop the others. */
  protected deliver(message: BusMessage): void {
    this.each(this.listeners, message, message.event.type);
  }

  protected deliverNotice(notice: BusNotice): void {
    this.each(this.noticeListeners, notice, notice.type);
  }

  private each<T>(listeners: Set<(value: T) => void>, value: T, type: string): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        this.logger.error(`listener failed on ${type}: ${error instanceof Error ? error.name : 'error'}`);
      }
    }
  }
}

export class InProcessEventBus extends EventBus {
  publish(event: BusEvent, visitorId: string): Promise<void> {
    this.deliver({ event, visitorId });
    return Promise.resolve();
  }

  announce(notice: BusNotice): Promise<void> {
    this.deliverNotice(notice);
    return Promise.resolve();
  }
}
