import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { SiteEntity } from './site.entity';

export type NewSite = Pick<
  SiteEntity,
  'organizationId' | 'name' | 'publicKey' | 'allowedOrigins' | 'widget' | 'leadCapture' | 'retentionDays'
>;
export type SiteChanges = Partial<
  Pick<SiteEntity, 'name' | 'allowedOrigins' | 'widget' | 'leadCapture' | 'retentionDays'>
>;

/** Every method is scoped by the site id (already authorized) or by the user's memberships. */
@Injectable()
export class SitesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, site: NewSite): Promise<SiteEntity> {
    const result = await tx.getRepository(SiteEntity).insert(site);
    return { ...site, ...(result.generatedMaps[0] as Pick<SiteEntity, 'id' | 'createdAt' | 'updatedAt'>) };
  }

  /** Sites of every organization the user belongs to, oldest first, `limit + 1` rows after `after`. */
  listVisibleTo(
    userId: string,
    filter: { organizationId?: string },
    after: Keyset | null,
    limit: number,
  ): Promise<SiteEntity[]> {
    const query = this.dataSource
      .getRepository(SiteEntity)
      .createQueryBuilder('site')
      // Another module's table by its name: its entity stays its own (docs/architecture.md).
      .innerJoin('memberships', 'm', 'm.organization_id = site.organization_id AND m.user_id = :userId', {
        userId,
      })
      .orderBy('site.created_at')
      .addOrderBy('site.id')
      .limit(limit + 1);
    if (filter.organizationId) query.andWhere('site.organization_id = :organizationId', filter);
    if (after) query.andWhere('(site.created_at, site.id) > (:createdAt, :id)', after);
    return query.getMany();
  }

  findById(siteId: string, tx?: Tx): Promise<SiteEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(SiteEntity).findOneBy({ id: siteId });
  }

  /** Locks the row, so concurrent partial updates of the widget settings do not lose each other's fields. */
  findForUpdate(tx: Tx, siteId: string): Promise<SiteEntity | null> {
    return tx
      .getRepository(SiteEntity)
      .findOne({ where: { id: siteId }, lock: { mode: 'pessimistic_write' } });
  }

  async update(tx: Tx, siteId: string, changes: SiteChanges): Promise<void> {
    await tx.getRepository(SiteEntity).update({ id: siteId }, changes);
  }

  async setPublicKey(tx: Tx, siteId: string, publicKey: string): Promise<void> {
    await tx.getRepository(SiteEntity).update({ id: siteId }, { publicKey });
  }

  /** Everything recorded for the site goes with it (foreign keys cascade). */
  async delete(tx: Tx, siteId: string): Promise<void> {
    await tx.getRepository(SiteEntity).delete({ id: siteId });
  }
}
