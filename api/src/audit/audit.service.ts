import type { AuditAction, AuditEvent, Page, PageQuery } from '@cloop/contracts';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { pageLimit } from '../common/pagination';
import { TransactionRunner, type Tx } from '../database/transactions';
import {
  type ChainBreak,
  type ChainPosition,
  findChainBreak,
  KEYED,
  type StoredChainRow,
} from './audit-chain';
import {
  type Checkpoint,
  type CheckpointFinding,
  compareWithCheckpoint,
  signCheckpoint,
} from './audit-checkpoint';
import { AuditKeys } from './audit-keys';
import { AuditRepository } from './audit.repository';

/**
 * Who did it: a console user, an organization API key (acting with its creator's role), a widget
 * visitor (never identified here), or Cloop itself.
 */
export type AuditActor =
  | { kind: 'user'; userId: string }
  | { kind: 'api_key'; userId: string; apiKeyId: string; apiKeyName: string }
  | { kind: 'visitor' }
  | { kind: 'system' }
  | { kind: 'anonymous' };

/** Who a console request's change is recorded as: the person, or the API key acting for them. */
export function actorOf(principal: Principal): AuditActor {
  const key = principal.apiKey;
  return key
    ? { kind: 'api_key', userId: principal.userId, apiKeyId: key.id, apiKeyName: key.name }
    : { kind: 'user', userId: principal.userId };
}

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
  /** Rows written before the audit key existed (plain SHA-256); covered by the first keyed row. */
  unkeyedEvents: number;
  /** The first row of each chain that does not fit its chain, if any. */
  breaks: ChainBreak[];
  /** How the chains' ends compare with a checkpoint, when one was given. */
  checkpoint: { createdAt: string; chains: number; findings: CheckpointFinding[] } | null;
  /** What this verification could not prove, in words, for the operator. */
  unproven: string[];
}

const VERIFY_BATCH = 1000;

@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly detached = new Set<Promise<void>>();

  constructor(
    private readonly audit: AuditRepository,
    private readonly transactions: TransactionRunner,
    private readonly keys: AuditKeys,
  ) {}

  /** Appends inside the caller's transaction: the event exists exactly when the change does. */
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await this.audit.append(tx, {
      organizationId: entry.organizationId,
      actorKind: entry.actor.kind,
      actorUserId: entry.actor.kind === 'user' || entry.actor.kind === 'api_key' ? entry.actor.userId : null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      // A key's name is a label its organization chose (the console asks for no personal names).
      details:
        entry.actor.kind === 'api_key'
          ? { ...entry.details, apiKey: { id: entry.actor.apiKeyId, name: entry.actor.apiKeyName } }
          : (entry.details ?? {}),
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

  /** Newest first, in chain order (not clock order: replicas' clocks may disagree). */
  async list(scope: OrganizationScope, query: PageQuery): Promise<Page<AuditEvent>> {
    const limit = pageLimit(query);
    const rows = await this.audit.list(scope.organizationId, decodeSeqCursor(query.cursor), limit);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items: rows.slice(0, limit).map(mapAuditEvent),
      nextCursor: last ? Buffer.from(String(last.seq)).toString('base64url') : null,
    };
  }

  /**
   * Re-computes every chain and reports the first row of each that was altered, removed or
   * inserted; with a checkpoint, also whether a chain's newest rows, or the whole chain, were
   * deleted or rewritten since. Without one, deletions at the end of a chain leave nothing to
   * compare with: {@link AuditVerification.unproven} says so.
   */
  async verify(checkpoint: Checkpoint | null = null): Promise<AuditVerification> {
    const result: AuditVerification = {
      chains: 0,
      events: 0,
      unkeyedEvents: 0,
      breaks: [],
      checkpoint: null,
      unproven: [],
    };
    let unkeyedHeads = 0;
    for (const organizationId of await this.audit.chainIds()) {
      result.chains += 1;
      let previous: ChainPosition | null = null;
      for (;;) {
        const rows = await this.audit.chainBatch(organizationId, previous?.seq ?? 0, VERIFY_BATCH);
        const broken = findChainBreak(this.keys.hasher, rows, previous);
        if (broken) {
          result.breaks.push(broken);
          break;
        }
        result.events += rows.length;
        result.unkeyedEvents += rows.filter((row) => row.hashAlgorithm !== KEYED).length;
        const last = rows.at(-1);
        if (last) previous = { seq: last.seq, hash: last.hash, keyed: last.hashAlgorithm === KEYED };
        if (!last || rows.length < VERIFY_BATCH) break;
      }
      if (previous && !previous.keyed) unkeyedHeads += 1;
    }

    if (checkpoint) {
      const findings: CheckpointFinding[] = [];
      for (const head of checkpoint.chains) {
        const finding = compareWithCheckpoint(
          head,
          await this.audit.chainToday(head.organizationId, head.seq),
        );
        if (finding) findings.push(finding);
      }
      result.checkpoint = { createdAt: checkpoint.createdAt, chains: checkpoint.chains.length, findings };
      result.unproven.push(
        `rows written after the checkpoint (${checkpoint.createdAt}), and chains begun after it, could ` +
          'have been deleted undetected: take checkpoints regularly',
      );
    } else {
      result.unproven.push(
        'without a checkpoint, deleting the newest rows of a chain (tail truncation) or a whole chain ' +
          'cannot be detected: verify with --checkpoint FILE, a checkpoint kept outside the database',
      );
    }
    if (unkeyedHeads > 0) {
      result.unproven.push(
        `${unkeyedHeads} chain(s) end in rows from before AUDIT_KEY (plain SHA-256, no key): ` +
          'rewriting those rows is detected only against a checkpoint',
      );
    }
    return result;
  }

  /** The head of every chain now, signed: what `cloop audit:checkpoint` writes. */
  async checkpoint(now = new Date()): Promise<Checkpoint> {
    return signCheckpoint(this.keys.checkpoint, await this.audit.heads(), now);
  }

  /** The public key that checks checkpoint signatures, as PEM. */
  checkpointPublicKey(): string {
    return this.keys.checkpoint.publicKeyPem;
  }

  /** Before the database closes: background writes finish first. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.detached]);
  }
}

function decodeSeqCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const seq = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'cursor is not valid; pass the nextCursor of the previous page',
    );
  }
  return seq;
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
