import type { Message } from '@cloop/contracts';

import { ApiError } from './api-client';
import type { ChatStore, PendingMessage } from './store';

const MAX_RETRY_MS = 30_000;

/**
 * Messages the visitor wrote, sent in order with the id each got when typed. A message that meets
 * no network (or a busy server) stays queued and goes out when the network returns, with the same
 * id: the server stores it once however often it is sent. A message the server refuses is marked
 * failed for the visitor to retry. Kept in memory only: the storage policy allows no other key.
 */
export class Outbox {
  #chain: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempts = 0;
  /** Flush requests so far, and the last one already answered by a failure (its retry is scheduled). */
  #requests = 0;
  #failedAt = 0;

  readonly #store: ChatStore;
  readonly #deliver: (message: PendingMessage) => Promise<Message>;
  readonly #reportOffline: (offline: boolean) => void;

  constructor(
    store: ChatStore,
    deliver: (message: PendingMessage) => Promise<Message>,
    /** Called with `true` when sending hits the network problem, `false` when it clears. */
    reportOffline: (offline: boolean) => void,
  ) {
    this.#store = store;
    this.#deliver = deliver;
    this.#reportOffline = reportOffline;
  }

  enqueue(id: string, body: string): Promise<void> {
    this.#store.update({ pending: [...this.#store.state.pending, { id, body, state: 'sending' }] });
    return this.flush();
  }

  retry(id: string): Promise<void> {
    this.#store.setPending(id, 'sending');
    return this.flush();
  }

  /**
   * Sends everything waiting. Runs are chained, never concurrent, so a message is never in flight
   * twice; a run that finds nothing left to send ends at once.
   */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    const request = ++this.#requests;
    // A request made before the last failure would only hit the same wall again at once.
    this.#chain = this.#chain
      .then(() => (request > this.#failedAt ? this.#run() : undefined))
      .catch(() => undefined);
    return this.#chain;
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#attempts = 0;
  }

  async #run(): Promise<void> {
    for (;;) {
      const next = this.#store.state.pending.find((message) => message.state !== 'failed');
      if (!next) return;
      this.#store.setPending(next.id, 'sending');
      try {
        const stored = await this.#deliver(next);
        this.#attempts = 0;
        this.#reportOffline(false);
        this.#store.addMessages([stored]);
      } catch (error) {
        if (error instanceof ApiError && !error.transient) {
          this.#store.setPending(next.id, 'failed');
          continue;
        }
        this.#waitForNetwork(error instanceof ApiError ? error.retryAfterMs : null);
        return;
      }
    }
  }

  #waitForNetwork(retryAfterMs: number | null): void {
    for (const message of this.#store.state.pending) {
      if (message.state === 'sending') this.#store.setPending(message.id, 'queued');
    }
    this.#reportOffline(true);
    this.#failedAt = this.#requests;
    this.#attempts += 1;
    const delay = retryAfterMs ?? Math.min(MAX_RETRY_MS, 1000 * 2 ** this.#attempts);
    this.#timer = setTimeout(() => void this.flush(), delay);
  }
}
