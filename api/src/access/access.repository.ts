import type { Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { MembershipEntity } from '../organizations/membership.entity';
import { SiteEntity } from '../sites/site.entity';

/** What the widget API needs of a site. */
export type WidgetSiteRow = Pick<SiteEntity, 'id' | 'allowedOrigins' | 'widget' | 'leadCapture'>;

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

  findWidgetSite(publicKey: string): Promise<WidgetSiteRow | null> {
    return this.dataSource.getRepository(SiteEntity).findOne({
      select: { id: true, allowedOrigins: true, widget: true, leadCapture: true },
      where: { publicKey },
    });
  }

  /** Whether any site lets the widget run on this origin (what a CORS preflight can ask). */
  async isOriginAllowedAnywhere(origin: string): Promise<boolean> {
    return this.dataSource
      .getRepository(SiteEntity)
      .createQueryBuilder('site')
      .where('site.allowed_origins @> ARRAY[:origin]::text[]', { origin })
      .getExists();
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
