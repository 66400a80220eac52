import { Injectable } from '@nestjs/common';

/**
 * Whether this process is draining: it has been told to stop (SIGTERM, SIGINT) and finishes what
 * it has while accepting nothing new. Readiness reports 503 while `draining`; background work
 * listens to `signal` to stop at its next safe point.
 */
@Injectable()
export class ShutdownState {
  private readonly controller = new AbortController();

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
}
