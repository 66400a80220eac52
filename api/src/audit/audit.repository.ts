import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { GENESIS_HASH, hashAuditEvent, type StoredChainRow } from './audit-chain';

export interface NewAuditEvent {
  organizationId: string;
  actorKind: 'user' | 'visitor' | 'system' | 'anonymous';
  actorUserId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

const COLUMNS = `id, organization_id, seq::int AS seq, actor_kind, actor_user_id, action, target_type,
  target_id, details, created_at, prev_hash, hash`;

interface AuditRow {
  id: string;
  organization_id: string;
  seq: number;
  actor_kind: string;
  actor_user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  prev_hash: string;
  hash: string;
}

/** The append-only, hash-chained trail; one chain per organization. */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends at the end of the organization's chain. The advisory lock serializes writers of one
   * chain until the transaction ends, so two events never claim the same `seq` or predecessor.
   */
  async append(tx: Tx, event: NewAuditEvent): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 727))`, [event.organizationId]);
    const [last] = await tx.query<{ seq: number; hash: string }[]>(
      `SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1`,
      [event.organizationId],
    );
    const fields = {
      ...event,
      seq: (last?.seq ?? 0) + 1,
      prevHash: last?.hash ?? GENESIS_HASH,
      // Millisecond precision, as stored: the hash is recomputed from what is read back.
      createdAt: new Date(Date.now()),
    };
    await tx.query(
      `INSERT INTO audit_events (organization_id, seq, actor_kind, actor_user_id, action, target_type,
         target_id, details, created_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        fields.organizationId,
        fields.seq,
        fields.actorKind,
        fields.actorUserId,
        fields.action,
        fields.targetType,
        fields.targetId,
        JSON.stringify(fields.details),
        fields.createdAt,
        fields.prevHash,
        hashAuditEvent(fields),
      ],
    );
  }

  /** Newest first, `limit + 1` rows after the keyset (created_at is the row's `seq` order too). */
  async list(organizationId: string, after: Keyset | null, limit: number): Promise<StoredChainRow[]> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT ${COLUMNS} FROM audit_events
        WHERE organization_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [organizationId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    return rows.map(toChainRow);
  }

  /** One batch of a chain in `seq` order, for verification. */
  async chainBatch(organizationId: string, afterSeq: number, limit: number): Promise<StoredChainRow[]> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT ${COLUMNS} FROM audit_events WHERE organization_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [organizationId, afterSeq, limit],
    );
    return rows.map(toChainRow);
  }

  /** The organizations a user belongs to: events about an account go to each of their trails. */
  async organizationsOf(tx: Tx, userId: string): Promise<string[]> {
    const rows = await tx.query<
      {
        organization_id: string;
      }[]
    >(`SELECT organization_id FROM memberships WHERE user_id = $1`, [userId]);
    return rows.map((row) => row.organization_id);
  }

  async chainIds(): Promise<string[]> {
    const rows = await this.dataSource.query<{ organization_id: string }[]>(
      `SELECT DISTINCT organization_id FROM audit_events ORDER BY organization_id`,
    );
    return rows.map((row) => row.organization_id);
  }
}

function toChainRow(row: AuditRow): StoredChainRow {
  return {
    id: row.id,
    organizationId: row.organization_id,
    seq: row.seq,
    actorKind: row.actor_kind,
    actorUserId: row.actor_user_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: row.details,
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
