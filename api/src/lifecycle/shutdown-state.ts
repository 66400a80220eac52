import { Injectable } from '@nestjs/common';

/**
 * Whether this process is stopping. It has been told to stop (SIGTERM, SIGINT) and first only
 * `leaving`: readiness answers 503 while requests are still served (`SHUTDOWN_DELAY_MS`), so load
 * balancers take it out of rotation. Then `draining`: it finishes what it has while accepting
 * nothing new; background work listens to `signal` to stop at its next safe point.
 */
@Injectable()
export class ShutdownState {
  private readonly controller = new AbortController();
  private announced = false;
  private readonly cutters: (() => void)[] = [];

  /** Readiness answers 503 from now on: leaving, or already draining. */
  get leaving(): boolean {
    return this.announced || this.draining;
  }

  /** Out of rotation, still serving: nothing else changes until `beginDraining`. */
  beginLeaving(): void {
    this.announced = true;
  }

  get draining(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when draining begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  beginDraining(): void {
    if (!this.draining) this.controller.abort(new Error('shutting down'));
  }

  /**
   * What to cut when the grace period is over (sockets whose clients never answered the close):
   * the owner of long-lived connections registers it here, so the shutdown knows no feature.
   */
  onGraceOver(cut: () => void): void {
    this.cutters.push(cut);
  }

  graceOver(): void {
    for (const cut of this.cutters) cut();
  }
}
