import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Language-model tokens spent per site and calendar month (UTC). */
@Injectable()
export class TokenBudgetRepository {
  constructor(private readonly dataSource: DataSource) {}

  async spentThisMonth(siteId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ tokens: string }[]>(
      `SELECT tokens FROM assistant_usage WHERE site_id = $1 AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
      [siteId],
    );
    return Number(row?.tokens ?? 0);
  }

  async spend(siteId: string, tokens: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO assistant_usage (site_id, month, tokens)
       VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, $2)
       ON CONFLICT (site_id, month) DO UPDATE SET tokens = assistant_usage.tokens + EXCLUDED.tokens`,
      [siteId, tokens],
    );
  }
}
