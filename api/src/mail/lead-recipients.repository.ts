import type { MailLocale } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface LeadRecipients {
  siteName: string;
  recipients: { email: string; locale: MailLocale }[];
}

@Injectable()
export class LeadRecipientsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The site's name and every member of its organization who wants lead e-mail. */
  async forSite(siteId: string): Promise<LeadRecipients | null> {
    const rows = await this.dataSource.query<
      { site_name: string; email: string | null; locale: MailLocale | null }[]
    >(
      `SELECT s.name AS site_name, u.email, u.locale
         FROM sites s
         LEFT JOIN memberships m ON m.organization_id = s.organization_id
         LEFT JOIN users u ON u.id = m.user_id AND u.lead_notifications
        WHERE s.id = $1`,
      [siteId],
    );
    const first = rows[0];
    if (!first) return null;
    return {
      siteName: first.site_name,
      recipients: rows.flatMap((row) =>
        row.email === null ? [] : [{ email: row.email, locale: row.locale ?? 'en' }],
      ),
    };
  }
}
