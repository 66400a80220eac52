import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';

export interface ClaimedMail {
  id: string;
  kind: string;
  envelope: string;
  /** Attempts including the one just claimed. */
  attempts: number;
}

/** The `mail_outbox` table: rows in, due rows claimed one process at a time, rows out. */
@Injectable()
export class MailOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: { id: string; kind: string; envelope: string }, tx?: Tx): Promise<void> {
    await (tx ?? this.dataSource).query(`INSERT INTO mail_outbox (id, kind, envelope) VALUES ($1, $2, $3)`, [
      row.id,
      row.kind,
      row.envelope,
    ]);
  }

  /** The same kind of round trip as {@link insert}, writing nothing (see `Mailer.sendNothing`). */
  async insertNothing(row: { id: string; kind: string; envelope: string }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO mail_outbox (id, kind, envelope) SELECT $1, $2, $3 FROM mail_outbox WHERE false`,
      [row.id, row.kind, row.envelope],
    );
  }

  /**
   * Claims due rows with `SKIP LOCKED`, so replicas never take the same one, and pushes each one's
   * next attempt `leaseMs` ahead: a process that dies while sending hands it back by itself.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedMail[]> {
    const [rows] = await this.dataSource.query<[ClaimedMail[], number]>(
      `UPDATE mail_outbox m
          SET attempts = m.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
         FROM (SELECT id FROM mail_outbox WHERE next_attempt_at <= now()
                ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE m.id = due.id
        RETURNING m.id, m.kind, m.envelope, m.attempts`,
      [limit, leaseMs],
    );
    return rows;
  }

  /** Sent or given up: the row, and the link sealed in it, are gone. */
  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM mail_outbox WHERE id = $1`, [id]);
  }

  /** Due again after `afterMs`, keeping why the last attempt failed (a code, never a reply text). */
  async retryLater(id: string, afterMs: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET next_attempt_at = now() + $2 * interval '1 millisecond', last_error = $3
        WHERE id = $1`,
      [id, afterMs, error],
    );
  }
}
