import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crawls are claimed for a while by the replica running them (renewed as pages arrive), so that
 * several replicas never crawl one source at once and a crashed replica's crawl is taken over; and
 * they remember when they last finished, for the scheduled recrawl.
 */
export class CrawlClaims1764756000000 implements MigrationInterface {
  name = 'CrawlClaims1764756000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge_sources ADD COLUMN claimed_until timestamptz(3),
                                                  ADD COLUMN crawled_at timestamptz(3)`);
    await db.query(
      `UPDATE knowledge_sources SET crawled_at = updated_at WHERE type = 'crawl' AND status IN ('ready', 'failed')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge_sources DROP COLUMN claimed_until, DROP COLUMN crawled_at`);
  }
}
