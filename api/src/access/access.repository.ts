import type { Role, WidgetSettings } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the widget API needs of a site. */
export interface WidgetSiteRow {
  id: string;
  allowedOrigins: string[];
  widget: WidgetSettings;
  leadCapture: boolean;
}

/**
 * The lookups every authorization decision rests on, one indexed query each. Raw SQL over the
 * `memberships` and `sites` tables, not their modules' entities: access sits below the features
 * (docs/architecture.md, "Layering"), and these run on every request.
 */
@Injectable()
export class AccessRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findOrganizationRole(organizationId: string, userId: string): Promise<Role | null> {
    const [row] = await this.dataSource.query<{ role: Role }[]>(
      `SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`,
      [organizationId, userId],
    );
    return row?.role ?? null;
  }

  async findWidgetSite(publicKey: string): Promise<WidgetSiteRow | null> {
    const [row] = await this.dataSource.query<WidgetSiteRow[]>(
      `SELECT id, allowed_origins AS "allowedOrigins", widget, lead_capture AS "leadCapture"
         FROM sites WHERE public_key = $1`,
      [publicKey],
    );
    return row ?? null;
  }

  /** Whether any site lets the widget run on this origin (what a CORS preflight can ask). */
  async isOriginAllowedAnywhere(origin: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ allowed: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM sites WHERE allowed_origins @> ARRAY[$1]::text[]) AS allowed`,
      [origin],
    );
    return row?.allowed ?? false;
  }

  async findSiteRole(siteId: string, userId: string): Promise<{ organizationId: string; role: Role } | null> {
    const [row] = await this.dataSource.query<{ organizationId: string; role: Role }[]>(
      `SELECT s.organization_id AS "organizationId", m.role
         FROM sites s JOIN memberships m ON m.organization_id = s.organization_id AND m.user_id = $2
        WHERE s.id = $1`,
      [siteId, userId],
    );
    return row ?? null;
  }
}
