import type { OrganizationMembership, Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { MembershipEntity } from './membership.entity';
import { OrganizationEntity } from './organization.entity';

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, name: string): Promise<string> {
    const result = await tx.getRepository(OrganizationEntity).insert({ name });
    return (result.identifiers[0] as { id: string }).id;
  }

  /** Renames the organization; `false` when there is no such organization. */
  async rename(tx: Tx, organizationId: string, name: string): Promise<boolean> {
    const result = await tx.getRepository(OrganizationEntity).update({ id: organizationId }, { name });
    return (result.affected ?? 0) > 0;
  }

  async findName(organizationId: string, tx?: Tx): Promise<string | null> {
    const found = await (tx ?? this.dataSource.manager)
      .getRepository(OrganizationEntity)
      .findOne({ select: { name: true }, where: { id: organizationId } });
    return found?.name ?? null;
  }

  /** The organizations a user belongs to, with the user's role in each, oldest first. */
  async listForUser(userId: string): Promise<OrganizationMembership[]> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(['o.id AS id', 'o.name AS name', 'm.role AS role'])
      .from(OrganizationEntity, 'o')
      .innerJoin(MembershipEntity, 'm', 'm.organization_id = o.id AND m.user_id = :userId', { userId })
      .orderBy('o.created_at')
      .addOrderBy('o.id')
      .getRawMany<{ id: string; name: string; role: Role }>();
    return rows;
  }
}
