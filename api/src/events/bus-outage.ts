import type { Logger } from '@nestjs/common';

/**
 * The event bus's view of a Redis outage: when it began, how many messages could not be shared
 * with the other replicas. It logs once when the outage begins and once when it ends, however
 * many messages are dropped in between (a log line per message would flood the log).
 */
export class BusOutage {
  private since: number | null = null;
  private droppedNow = 0;
  /** Every message not shared since the process started. */
  droppedTotal = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get active(): boolean {
    return this.since !== null;
  }

  /** Redis stopped answering (a connection closed, a command failed); `reason` is never a payload. */
  begin(reason: string): void {
    if (this.since !== null) return;
    this.since = this.now();
    this.logger.warn(
      `Redis unavailable for realtime events (${reason}): each replica delivers only its own events until it is back`,
    );
  }

  /** A message this replica could not hand to the other replicas. */
  dropped(reason: string): void {
    this.begin(reason);
    this.droppedNow += 1;
    this.droppedTotal += 1;
  }

  /** Redis answers again; returns how many messages this replica dropped during the outage. */
  end(): number {
    if (this.since === null) return 0;
    const seconds = ((this.now() - this.since) / 1000).toFixed(1);
    const dropped = this.droppedNow;
    this.logger.log(
      `Redis back for realtime events after ${seconds} s; ${dropped} event(s) were not shared with other replicas: clients are told to catch up`,
    );
    this.since = null;
    this.droppedNow = 0;
    return dropped;
  }
}
