import type { Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { MembershipEntity } from './membership.entity';

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

@Injectable()
export class MembershipsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds memberships; one that already exists is left as it is. */
  async insert(
    tx: Tx,
    memberships: Pick<MembershipEntity, 'organizationId' | 'userId' | 'role'>[],
  ): Promise<void> {
    if (memberships.length === 0) return;
    await tx.createQueryBuilder().insert().into(MembershipEntity).values(memberships).orIgnore().execute();
  }

  /** Members of one organization, ordered by when they joined, `limit + 1` rows after `after`. */
  async list(organizationId: string, after: Keyset | null, limit: number): Promise<MemberRow[]> {
    const query = this.members(this.dataSource.manager, organizationId)
      .orderBy('m.created_at')
      .addOrderBy('m.user_id')
      .limit(limit + 1);
    if (after) query.andWhere('(m.created_at, m.user_id) > (:createdAt, :id)', after);
    return (await query.getRawMany<MemberRow & { createdAt: Date | string }>()).map(normalizeDate);
  }

  async find(organizationId: string, userId: string, tx?: Tx): Promise<MemberRow | null> {
    const row = await this.members(tx ?? this.dataSource.manager, organizationId)
      .andWhere('m.user_id = :userId', { userId })
      .getRawOne<MemberRow>();
    return row ? normalizeDate(row) : null;
  }

  /**
   * Locks the organization's owner rows for the rest of the transaction and counts them, so two
   * owners demoting each other at once cannot leave the organization without one.
   */
  async lockOwners(tx: Tx, organizationId: string): Promise<string[]> {
    const rows = await tx
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .select('m.user_id', 'userId')
      .where("m.organization_id = :organizationId AND m.role = 'owner'", { organizationId })
      .setLock('pessimistic_write')
      .getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }

  async updateRole(tx: Tx, organizationId: string, userId: string, role: Role): Promise<void> {
    await tx.getRepository(MembershipEntity).update({ organizationId, userId }, { role });
  }

  async delete(tx: Tx, organizationId: string, userId: string): Promise<void> {
    await tx.getRepository(MembershipEntity).delete({ organizationId, userId });
  }

  private members(manager: Tx, organizationId: string) {
    return (
      manager
        .createQueryBuilder()
        .select([
          'm.user_id AS "userId"',
          'u.email AS email',
          'u.name AS name',
          'm.role AS role',
          'm.created_at AS "createdAt"',
        ])
        .from(MembershipEntity, 'm')
        // Another module's table by its name: its entity stays its own (docs/architecture.md).
        .innerJoin('users', 'u', 'u.id = m.user_id')
        .where('m.organization_id = :organizationId', { organizationId })
    );
  }
}

function normalizeDate<T extends { createdAt: Date | string }>(row: T): T & { createdAt: Date } {
  return { ...row, createdAt: new Date(row.createdAt) };
}
