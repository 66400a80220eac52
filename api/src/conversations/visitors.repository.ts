import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { VisitorEntity } from './visitor.entity';

@Injectable()
export class VisitorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(siteId: string, visitorUuid: string): Promise<VisitorEntity | null> {
    return this.dataSource.getRepository(VisitorEntity).findOneBy({ siteId, visitorUuid });
  }

  /** Creates the visitor, or marks an existing one seen: concurrent first requests make one row. */
  async upsert(siteId: string, visitorUuid: string): Promise<VisitorEntity> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(VisitorEntity)
      .values({ siteId, visitorUuid })
      .orUpdate(['last_seen_at'], ['site_id', 'visitor_uuid'])
      .execute();
    return this.dataSource.getRepository(VisitorEntity).findOneByOrFail({ siteId, visitorUuid });
  }
}
