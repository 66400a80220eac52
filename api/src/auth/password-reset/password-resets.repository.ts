import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../../database/transactions';

@Injectable()
export class PasswordResetsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`,
      [userId, tokenHash, expiresAt],
    );
  }

  /**
   * The same kind of round trip as {@link insert}, for an address with no account: the answer's
   * timing must not tell the two apart.
   */
  async insertNothing(tokenHash: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO password_resets (user_id, token_hash, expires_at)
       SELECT id, $1, $2 FROM users WHERE false`,
      [tokenHash, expiresAt],
    );
  }

  /**
   * Takes a token that is unused and unexpired, and voids every other open token of its user:
   * one reset ends them all. Returns the user, or `null`.
   */
  async claim(tx: Tx, tokenHash: string): Promise<string | null> {
    // A raw UPDATE … RETURNING comes back from TypeORM as [rows, affected count].
    const [rows] = await tx.query<[{ user_id: string }[], number]>(
      `UPDATE password_resets SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [tokenHash],
    );
    const userId = rows[0]?.user_id ?? null;
    if (userId !== null) {
      await tx.query(`UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [
        userId,
      ]);
    }
    return userId;
  }

  /** How many links the account was sent since `since`. */
  async countSince(userId: string, since: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM password_resets WHERE user_id = $1 AND created_at > $2`,
      [userId, since],
    );
    return row?.count ?? 0;
  }

  /** Old rows have no use: retention-like pruning on each request keeps the table small. */
  async deleteExpiredBefore(before: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM password_resets WHERE expires_at < $1`, [before]);
  }
}
