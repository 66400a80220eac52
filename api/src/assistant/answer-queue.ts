import { Logger } from '@nestjs/common';

export interface AnswerQueueLimits {
  /** Answers worked on at once: each holds database connections and model calls. */
  concurrency: number;
  /** Answers waiting beyond those; a new one is declined when this many wait. */
  capacity: number;
}

export const DEFAULT_ANSWER_QUEUE_LIMITS: AnswerQueueLimits = { concurrency: 4, capacity: 1_000 };

/** How often at most the count of declined answers is logged while they are being declined. */
const DECLINE_LOG_INTERVAL_MS = 10_000;

/**
 * Bounded work after the response: at most `concurrency` tasks run, at most `capacity` wait, and
 * an offer beyond that is declined at once (returns `false`) and counted. Offering never waits and
 * never runs the task in the caller's turn, so the request that offers it is not delayed; memory
 * stays bounded however fast messages arrive. Declines are logged as a count, throttled.
 */
export class AnswerQueue {
  private readonly logger = new Logger('Assistant');
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly running = new Set<Promise<void>>();
  private declined = 0;
  private declinedSinceLog = 0;
  private lastLogAt = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly limits: AnswerQueueLimits) {}

  /** `false`: the queue is full and the task was dropped. */
  offer(task: () => Promise<void>): boolean {
    if (this.running.size >= this.limits.concurrency && this.waiting.length >= this.limits.capacity) {
      this.declined += 1;
      this.declinedSinceLog += 1;
      this.logDeclines();
      return false;
    }
    this.waiting.push(task);
    // The next turn at the earliest: the caller's response and events go first.
    setImmediate(() => this.pump());
    return true;
  }

  /** Answers declined since start, for logs and tests. */
  get declinedCount(): number {
    return this.declined;
  }

  get size(): { running: number; waiting: number } {
    return { running: this.running.size, waiting: this.waiting.length };
  }

  /** Resolves when nothing runs or waits (used at shutdown: queued answers are still given). */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.limits.concurrency) {
      const task = this.waiting.shift();
      if (!task) break;
      const run: Promise<void> = task()
        .catch((error: unknown) =>
          this.logger.error(`answer failed: ${error instanceof Error ? error.name : 'error'}`),
        )
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
    if (this.running.size === 0 && this.waiting.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private logDeclines(): void {
    const now = Date.now();
    if (now - this.lastLogAt < DECLINE_LOG_INTERVAL_MS && this.lastLogAt !== 0) return;
    this.logger.warn(
      `assistant queue full (${this.limits.concurrency} running, ${this.limits.capacity} waiting): ` +
        `declined ${this.declinedSinceLog} answer(s), ${this.declined} since start`,
    );
    this.lastLogAt = now;
    this.declinedSinceLog = 0;
  }
}
