// The unit tier's stand-ins: a service is built with `new`, its repositories replaced by small
// in-memory ones, so its own rules (what it writes, audits and announces, and when) are checked
// without a database. What SQL does stays the integration tests' job.
import type { AuditEntry } from '../../src/audit/audit.service';
import type { Tx } from '../../src/database/transactions';

/**
 * A unit of work over in-memory state: `snapshot()` is taken before the work and `restore()`
 * puts it back when the work throws, as a rolled-back transaction would. `committed` counts the
 * units that succeeded, so a test can tell whether something happened after the commit.
 */
export class FakeTransactions<State> {
  committed = 0;

  constructor(
    private readonly snapshot: () => State,
    private readonly restore: (state: State) => void,
  ) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const before = this.snapshot();
    try {
      const result = await work({} as Tx);
      this.committed += 1;
      return result;
    } catch (error) {
      this.restore(before);
      throw error;
    }
  }
}

/** The audit trail as a list (a test's snapshot includes it, so a failed unit of work drops its entries). */
export class FakeAudit {
  entries: AuditEntry[] = [];

  record(_tx: Tx, entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
}
