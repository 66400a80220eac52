import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';

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

  async findByHash(
    tx: Tx,
    tokenHash: Buffer,
  ): Promise<Pick<RefreshTokenEntity, 'familyId' | 'usedAt'> | null> {
    return tx
      .getRepository(RefreshTokenEntity)
      .findOne({ select: { familyId: true, usedAt: true }, where: { tokenHash } });
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

  /** Whether the session (family) of an access token is still signed in. */
  async isFamilyLive(familyId: string): Promise<boolean> {
    const revoked = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .exists({ where: { familyId, revokedAt: Not(IsNull()) } });
    return !revoked;
  }
}
