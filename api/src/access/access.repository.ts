import type { Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { MembershipEntity } from '../organizations/membership.entity';
import { SiteEntity } from '../sites/site.entity';

/** The two lookups every authorization decision rests on, one indexed query each. */
@Injectable()
export class AccessRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findOrganizationRole(organizationId: string, userId: string): Promise<Role | null> {
    const membership = await this.dataSource
      .getRepository(MembershipEntity)
      .findOne({ select: { role: true }, where: { organizationId, userId } });
    return membership?.role ?? null;
  }

  async findSiteRole(siteId: string, userId: string): Promise<{ organizationId: string; role: Role } | null> {
    const row = await this.dataSource
      .createQueryBuilder()
      .select('site.organization_id', 'organizationId')
      .addSelect('membership.role', 'role')
      .from(SiteEntity, 'site')
      .innerJoin(
        MembershipEntity,
        'membership',
        'membership.organization_id = site.organization_id AND membership.user_id = :userId',
        { userId },
      )
      .where('site.id = :siteId', { siteId })
      .getRawOne<{ organizationId: string; role: Role }>();
    return row ?? null;
  }
}
