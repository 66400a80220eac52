import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';

export interface RetentionSite {
  siteId: string;
  organizationId: string;
  retentionDays: number;
}

export interface DeletedBatch {
  conversations: { id: string; visitorId: string }[];
  messages: number;
}

/** Finds and deletes what has outlived its site's retention period. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async sites(): Promise<RetentionSite[]> {
    const rows = await this.dataSource.query<
      { id: string; organization_id: string; retention_days: number }[]
    >(`SELECT id, organization_id, retention_days FROM sites ORDER BY id`);
    return rows.map((row) => ({
      siteId: row.id,
      organizationId: row.organization_id,
      retentionDays: row.retention_days,
    }));
  }

  /**
   * Deletes up to `limit` conversations whose last activity is before `cutoff`, with their messages.
   * `SKIP LOCKED` leaves conversations being written to (and other runners' batches) alone.
   */
  async deleteStaleConversations(tx: Tx, siteId: string, cutoff: Date, limit: number): Promise<DeletedBatch> {
    const doomed = await tx.query<{ id: string; visitor_id: string }[]>(
      `SELECT id, visitor_id FROM conversations
        WHERE site_id = $1 AND last_message_at < $2
        ORDER BY last_message_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [siteId, cutoff, limit],
    );
    if (doomed.length === 0) return { conversations: [], messages: 0 };
    const ids = doomed.map((row) => row.id);
    const [messages] = await tx.query<{ count: number }[]>(
      `WITH gone AS (DELETE FROM messages WHERE site_id = $1 AND conversation_id = ANY($2) RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [siteId, ids],
    );
    await tx.query(`DELETE FROM conversations WHERE site_id = $1 AND id = ANY($2)`, [siteId, ids]);
    return {
      conversations: doomed.map((row) => ({ id: row.id, visitorId: row.visitor_id })),
      messages: messages?.count ?? 0,
    };
  }

  /** Visitors not seen since `cutoff` who have no conversation left. */
  async deleteStaleVisitors(tx: Tx, siteId: string, cutoff: Date, limit: number): Promise<number> {
    const [row] = await tx.query<{ count: number }[]>(
      `WITH gone AS (
         DELETE FROM visitors WHERE id IN (
           SELECT v.id FROM visitors v
            WHERE v.site_id = $1 AND v.last_seen_at < $2
              AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = v.id)
            LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [siteId, cutoff, limit],
    );
    return row?.count ?? 0;
  }
}
