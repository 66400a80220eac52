import type { PrivacyRequestKind, PrivacySubjectKind } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { type PersonalDataEntry, SUBJECT_PARAMETERS } from './personal-data-registry';

export interface NewPrivacyRequest {
  organizationId: string | null;
  siteId: string | null;
  kind: PrivacyRequestKind;
  subjectKind: PrivacySubjectKind;
  subjectHash: string;
  actorKind: 'user' | 'visitor' | 'system';
  actorUserId: string | null;
  /** Set when the request is answered in the same unit of work (erasures). */
  counts: Record<string, number> | null;
}

export interface PrivacyRequestRow {
  id: string;
  site_id: string | null;
  kind: PrivacyRequestKind;
  subject_kind: PrivacySubjectKind;
  subject_hash: string;
  received_at: Date;
  due_at: Date;
  completed_at: Date | null;
  actor_kind: 'user' | 'visitor' | 'system';
  actor_user_id: string | null;
  counts: Record<string, number>;
}

export interface SiteFacts {
  organizationId: string;
  siteName: string;
  organizationName: string;
  allowedOrigins: string[];
  retentionDays: number;
}

/**
 * Reads and deletes personal data as the registry describes it, and keeps the request ledger.
 * Table, column and condition names come only from the registry, never from a request.
 */
@Injectable()
export class PrivacyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Visitor records of the site with this browser UUID (at most one). */
  async visitorsByUuid(tx: Tx | null, siteId: string, visitorUuid: string, lock = false): Promise<string[]> {
    const rows = await (tx ?? this.dataSource).query<{ id: string }[]>(
      `SELECT id FROM visitors WHERE site_id = $1 AND visitor_uuid = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [siteId, visitorUuid],
    );
    return rows.map((row) => row.id);
  }

  /** Visitor records of the site that left this email in any conversation. */
  async visitorsByEmail(tx: Tx | null, siteId: string, email: string, lock = false): Promise<string[]> {
    const rows = await (tx ?? this.dataSource).query<{ id: string }[]>(
      `SELECT id FROM visitors WHERE site_id = $1
          AND id IN (SELECT visitor_id FROM conversations WHERE site_id = $1 AND email = $2)
        ORDER BY id ${lock ? 'FOR UPDATE' : ''}`,
      [siteId, email],
    );
    return rows.map((row) => row.id);
  }

  /** The conversations of these visitors; with `email`, only those where it was left. */
  async conversationsOf(
    tx: Tx | null,
    siteId: string,
    visitorIds: string[],
    email: string | null = null,
  ): Promise<{ id: string; visitor_id: string }[]> {
    return await (tx ?? this.dataSource).query<{ id: string; visitor_id: string }[]>(
      `SELECT id, visitor_id FROM conversations
        WHERE site_id = $1 AND visitor_id = ANY($2) AND ($3::text IS NULL OR email = $3)
        ORDER BY id`,
      [siteId, visitorIds, email],
    );
  }

  /** Applies the entry's erasure to the subject's rows; returns how many rows it touched. */
  async erase(tx: Tx, entry: PersonalDataEntry, params: unknown[]): Promise<number> {
    const { erasure } = entry;
    if (erasure.kind === 'retain') return 0;
    const change =
      erasure.kind === 'delete'
        ? `DELETE FROM ${entry.table} WHERE ${entry.where} RETURNING 1`
        : `UPDATE ${entry.table} SET ${erasure.column} = NULL WHERE ${entry.where} RETURNING 1`;
    const [row] = await tx.query<
      {
        count: number;
      }[]
    >(
      `WITH subject AS (SELECT ${SUBJECT_PARAMETERS[entry.subject]}), changed AS (${change})
       SELECT count(*)::int AS count FROM changed`,
      params,
    );
    return row?.count ?? 0;
  }

  async siteFacts(siteId: string): Promise<SiteFacts | null> {
    const [row] = await this.dataSource.query<
      {
        organization_id: string;
        site_name: string;
        organization_name: string;
        allowed_origins: string[];
        retention_days: number;
      }[]
    >(
      `SELECT s.organization_id, s.name AS site_name, o.name AS organization_name, s.allowed_origins,
              s.retention_days
         FROM sites s JOIN organizations o ON o.id = s.organization_id WHERE s.id = $1`,
      [siteId],
    );
    return row
      ? {
          organizationId: row.organization_id,
          siteName: row.site_name,
          organizationName: row.organization_name,
          allowedOrigins: row.allowed_origins,
          retentionDays: row.retention_days,
        }
      : null;
  }

  /** Records a request as received, due one calendar month later (GDPR Art. 12(3)). */
  async insertRequest(tx: Tx | null, request: NewPrivacyRequest): Promise<string> {
    const [row] = await (tx ?? this.dataSource).query<{ id: string }[]>(
      `INSERT INTO privacy_requests (organization_id, site_id, kind, subject_kind, subject_hash, received_at,
          due_at, completed_at, actor_kind, actor_user_id, counts)
       VALUES ($1, $2, $3, $4, $5, date_trunc('milliseconds', now()),
          date_trunc('milliseconds', now()) + interval '1 month',
          CASE WHEN $6::jsonb IS NULL THEN NULL ELSE date_trunc('milliseconds', clock_timestamp()) END,
          $7, $8, coalesce($6::jsonb, '{}'))
       RETURNING id`,
      [
        request.organizationId,
        request.siteId,
        request.kind,
        request.subjectKind,
        request.subjectHash,
        request.counts ? JSON.stringify(request.counts) : null,
        request.actorKind,
        request.actorUserId,
      ],
    );
    if (!row) throw new Error('privacy request insert returned no row');
    return row.id;
  }

  async completeRequest(requestId: string, counts: Record<string, number>): Promise<void> {
    await this.dataSource.query(
      `UPDATE privacy_requests SET completed_at = date_trunc('milliseconds', clock_timestamp()), counts = $2
        WHERE id = $1`,
      [requestId, JSON.stringify(counts)],
    );
  }

  /** The site's ledger, newest first, `limit + 1` rows after the keyset. */
  async listRequests(siteId: string, after: Keyset | null, limit: number): Promise<PrivacyRequestRow[]> {
    return await this.dataSource.query<PrivacyRequestRow[]>(
      `SELECT id, site_id, kind, subject_kind, subject_hash, received_at, due_at, completed_at, actor_kind,
              actor_user_id, counts
         FROM privacy_requests
        WHERE site_id = $1 AND ($2::timestamptz IS NULL OR (received_at, id) < ($2, $3::uuid))
        ORDER BY received_at DESC, id DESC LIMIT $4`,
      [siteId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
  }
}
