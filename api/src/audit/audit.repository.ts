import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { GENESIS_HASH, type HashAlgorithm, KEYED, type StoredChainRow } from './audit-chain';
import type { ChainHead, ChainToday } from './audit-checkpoint';
import { AuditKeys } from './audit-keys';

export interface NewAuditEvent {
  organizationId: string;
  actorKind: 'user' | 'visitor' | 'system' | 'anonymous' | 'api_key';
  actorUserId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

const COLUMNS = `id, organization_id, seq::int AS seq, actor_kind, actor_user_id, action, target_type,
  target_id, details, created_at, prev_hash, hash, hash_alg`;

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
  hash_alg: HashAlgorithm;
}

/** The append-only, hash-chained trail; one chain per organization. */
@Injectable()
export class AuditRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: AuditKeys,
  ) {}

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
         target_id, details, created_at, prev_hash, hash, hash_alg)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
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
        this.keys.hasher.hash(fields, KEYED),
        KEYED,
      ],
    );
  }

  /** Newest first in chain order, `limit + 1` rows before `beforeSeq`. */
  async list(organizationId: string, beforeSeq: number | null, limit: number): Promise<StoredChainRow[]> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT ${COLUMNS} FROM audit_events
        WHERE organization_id = $1 AND ($2::bigint IS NULL OR seq < $2)
        ORDER BY seq DESC LIMIT $3`,
      [organizationId, beforeSeq, limit + 1],
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

  /** The newest row of every chain, for a checkpoint. */
  async heads(): Promise<ChainHead[]> {
    const rows = await this.dataSource.query<
      { organization_id: string; seq: number; hash: string; created_at: Date }[]
    >(
      `SELECT DISTINCT ON (organization_id) organization_id, seq::int AS seq, hash, created_at
         FROM audit_events ORDER BY organization_id, seq DESC`,
    );
    return rows.map((row) => ({
      organizationId: row.organization_id,
      seq: row.seq,
      hash: row.hash,
      createdAt: row.created_at.toISOString(),
    }));
  }

  /** What is left today of a chain a checkpoint names. */
  async chainToday(organizationId: string, checkpointSeq: number): Promise<ChainToday> {
    const [row] = await this.dataSource.query<
      { head_seq: number | null; head_hash: string | null; hash_at: string | null; org: boolean }[]
    >(
      `SELECT head.seq::int AS head_seq, head.hash AS head_hash,
              (SELECT hash FROM audit_events WHERE organization_id = $1 AND seq = $2) AS hash_at,
              EXISTS (SELECT 1 FROM organizations WHERE id = $1) AS org
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT seq, hash FROM audit_events WHERE organization_id = $1
                             ORDER BY seq DESC LIMIT 1) AS head ON true`,
      [organizationId, checkpointSeq],
    );
    return {
      head:
        row && row.head_seq !== null && row.head_hash !== null
          ? { seq: row.head_seq, hash: row.head_hash }
          : null,
      hashAtCheckpointSeq: row?.hash_at ?? null,
      organizationExists: row?.org ?? false,
    };
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
    hashAlgorithm: row.hash_alg,
  };
}
