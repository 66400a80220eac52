import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';

import type { Tx } from '../database/transactions';
import { RefreshTokenEntity } from './refresh-token.entity';

type RefreshTokenLink = Pick<RefreshTokenEntity, 'userId' | 'familyId'>;

@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    tx: Tx,
    token: Pick<RefreshTokenEntity, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>,
  ): Promise<void> {
    await tx.getRepository(RefreshTokenEntity).insert(token);
  }

  /**
   * Marks a live token used and returns it; `null` if it is unknown, used, revoked or expired. One
   * statement: of concurrent callers presenting the same token, exactly one gets the row.
   */
  async claim(tx: Tx, tokenHash: Buffer): Promise<RefreshTokenLink | null> {
    const result = await tx
      .createQueryBuilder()
      .update(RefreshTokenEntity)
      .set({ usedAt: () => 'now()' })
      .where('token_hash = :tokenHash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()', {
        tokenHash,
      })
      .returning('user_id, family_id')
      .execute();
    const row = (result.raw as { user_id: string; family_id: string }[])[0];
    return row ? { userId: row.user_id, familyId: row.family_id } : null;
  }

  async findUsable(tokenHash: Buffer): Promise<{ userId: string; sessionId: string } | null> {
    const rows = await this.dataSource.query<{ user_id: string; family_id: string }[]>(
      `SELECT user_id, family_id FROM refresh_tokens
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      [tokenHash],
    );
    const row = rows[0];
    return row ? { userId: row.user_id, sessionId: row.family_id } : null;
  }

  async findByHash(
    tx: Tx,
    tokenHash: Buffer,
  ): Promise<Pick<RefreshTokenEntity, 'familyId' | 'usedAt' | 'userId'> | null> {
    return tx
      .getRepository(RefreshTokenEntity)
      .findOne({ select: { familyId: true, usedAt: true, userId: true }, where: { tokenHash } });
  }

  async revokeFamily(tx: Tx, familyId: string): Promise<void> {
    await tx
      .getRepository(RefreshTokenEntity)
      .update({ familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  async revokeAllOfUser(tx: Tx, userId: string): Promise<void> {
    await tx
      .getRepository(RefreshTokenEntity)
      .update({ userId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /**
   * The user behind an access token, if the session (family) it was issued for is not revoked: one
   * query on every authenticated request.
   */
  async findLiveSessionUser(userId: string, familyId: string): Promise<{ tokensValidAfter: Date } | null> {
    const row = await this.dataSource
      .createQueryBuilder()
      .select('u.tokens_valid_after', 'tokensValidAfter')
      // Another module's table by its name: its entity stays its own (docs/architecture.md).
      .from('users', 'u')
      .where('u.id = :userId', { userId })
      // The family must exist, belong to this user, and have no revoked link: `bool_and` over no
      // rows is NULL, so a made-up session id fails like a revoked one.
      .andWhere(
        (query) =>
          `(${query
            .subQuery()
            .select('bool_and(r.user_id = u.id AND r.revoked_at IS NULL)')
            .from(RefreshTokenEntity, 'r')
            .where('r.family_id = :familyId', { familyId })
            .getQuery()}) IS TRUE`,
      )
      .getRawOne<{ tokensValidAfter: Date | string }>();
    return row ? { tokensValidAfter: new Date(row.tokensValidAfter) } : null;
  }
}
