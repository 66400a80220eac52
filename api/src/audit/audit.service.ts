import type { AuditAction, AuditEvent, Page, PageQuery } from '@cloop/contracts';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

import type { OrganizationScope } from '../access/access-policy';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import { TransactionRunner, type Tx } from '../database/transactions';
import { type ChainBreak, findChainBreak, type StoredChainRow } from './audit-chain';
import { AuditRepository } from './audit.repository';

/** Who did it: a console user, a widget visitor (never identified here), or Cloop itself. */
export type AuditActor =
  | { kind: 'user'; userId: string }
  | { kind: 'visitor' }
  | { kind: 'system' }
  | { kind: 'anonymous' };

export interface AuditEntry {
  organizationId: string;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  /** Ids and counts only: no emails, names or free text (they would outlive an erasure). */
  details?: Record<string, unknown>;
}

export interface AuditVerification {
  chains: number;
  events: number;
  /** The first row of each chain that does not fit its chain, if any. */
  breaks: ChainBreak[];
}

const VERIFY_BATCH = 1000;

@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly detached = new Set<Promise<void>>();

  constructor(
    private readonly audit: AuditRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Appends inside the caller's transaction: the event exists exactly when the change does. */
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await this.audit.append(tx, {
      organizationId: entry.organizationId,
      actorKind: entry.actor.kind,
      actorUserId: entry.actor.kind === 'user' ? entry.actor.userId : null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      details: entry.details ?? {},
    });
  }

  /** An event about an account, recorded in the trail of every organization the user belongs to. */
  async recordForUser(tx: Tx, userId: string, entry: Omit<AuditEntry, 'organizationId'>): Promise<void> {
    for (const organizationId of await this.audit.organizationsOf(tx, userId)) {
      await this.record(tx, { ...entry, organizationId });
    }
  }

  /**
   * {@link recordForUser} for events with no change to go with (a failed sign-in): written in the
   * background, so the response time does not tell whether the account exists, and a failure here
   * never fails the caller.
   */
  recordForUserDetached(userId: string, entry: Omit<AuditEntry, 'organizationId'>): void {
    const write: Promise<void> = this.transactions
      .run((tx) => this.recordForUser(tx, userId, entry))
      .catch((error: unknown) => {
        this.logger.error(`could not record ${entry.action}: ${(error as Error).name}`);
      })
      .finally(() => this.detached.delete(write));
    this.detached.add(write);
  }

  async list(scope: OrganizationScope, query: PageQuery): Promise<Page<AuditEvent>> {
    const limit = pageLimit(query);
    const rows = await this.audit.list(scope.organizationId, decodeCursor(query.cursor), limit);
    return toPage(rows, limit, mapAuditEvent, (row) => row);
  }

  /** Re-computes every chain; reports the first row of each that was altered, removed or inserted. */
  async verify(): Promise<AuditVerification> {
    const result: AuditVerification = { chains: 0, events: 0, breaks: [] };
    for (const organizationId of await this.audit.chainIds()) {
      result.chains += 1;
      let previous: { seq: number; hash: string } | null = null;
      for (;;) {
        const rows = await this.audit.chainBatch(organizationId, previous?.seq ?? 0, VERIFY_BATCH);
        const broken = findChainBreak(rows, previous);
        if (broken) {
          result.breaks.push(broken);
          break;
        }
        result.events += rows.length;
        const last = rows.at(-1);
        if (!last || rows.length < VERIFY_BATCH) break;
        previous = { seq: last.seq, hash: last.hash };
      }
    }
    return result;
  }

  /** Before the database closes: background writes finish first. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.detached]);
  }
}

function mapAuditEvent(row: StoredChainRow): AuditEvent {
  return {
    id: row.id,
    organizationId: row.organizationId,
    seq: row.seq,
    actor: { kind: row.actorKind as AuditEvent['actor']['kind'], userId: row.actorUserId },
    action: row.action as AuditAction,
    target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId } : null,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
