import { computed, signal } from '@angular/core';
import type { ErrorCode } from '@cloop/contracts';

import { errorCode } from '../http/errors';
import type { MessageKey } from '../i18n/messages.en';

/**
 * The busy and error state of one kind of change a store or page makes: `busy` while a change
 * runs, `error` (what `describe` makes of the failure) until the next try. Every store and page
 * uses this instead of its own busy/try/finally, so a change looks and fails the same everywhere.
 */
export class Action<E> {
  private readonly running = signal(false);
  private readonly failure = signal<E | null>(null);
  readonly busy = this.running.asReadonly();
  readonly error = this.failure.asReadonly();

  /** `describe` may answer `null` for a failure the caller has dealt with otherwise. */
  constructor(private readonly describe: (error: unknown) => E | null) {}

  /** Runs `work`; `true` when it succeeded, `false` (with `error` set) when it threw. */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    this.running.set(true);
    this.failure.set(null);
    try {
      await work();
      return true;
    } catch (error) {
      this.failure.set(this.describe(error));
      return false;
    } finally {
      this.running.set(false);
    }
  }

  /** A failure of work that did not go through `run` (a read that does not make the page busy). */
  report(error: unknown): void {
    this.failure.set(this.describe(error));
  }

  /** A failure found before any request was made (input checked first), shown as a run's would be. */
  fail(value: E): void {
    this.failure.set(value);
  }

  /** Forgets the last failure (the user edits what failed). */
  clear(): void {
    this.failure.set(null);
  }
}

/** The API's error code of a failure, `INTERNAL_ERROR` when it sent none (a network failure). */
export const apiErrorCode = (error: unknown): ErrorCode => errorCode(error) ?? 'INTERNAL_ERROR';

/** A line under a form: what the last change did, or why it failed. */
export interface Notice {
  key: MessageKey;
  error: boolean;
}

/** An `Action` whose success has something to say too (`Saved.`, `Invitation sent.`). */
export class NoticeAction extends Action<MessageKey> {
  private readonly said = signal<MessageKey | null>(null);
  /** The last change's outcome, good or bad; `null` while one runs. */
  readonly notice = computed<Notice | null>(() => {
    const failed = this.error();
    if (failed) return { key: failed, error: true };
    const said = this.said();
    return said ? { key: said, error: false } : null;
  });

  /** Runs `work`, which answers what to tell the user when it succeeded. */
  async say(work: () => Promise<MessageKey>): Promise<boolean> {
    this.said.set(null);
    let said: MessageKey | null = null;
    const done = await this.run(async () => {
      said = await work();
    });
    this.said.set(said);
    return done;
  }

  /** Forgets the last outcome, good or bad. */
  override clear(): void {
    super.clear();
    this.said.set(null);
  }
}
