import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the inbox's filters, each in the inbox's own order (newest activity first), so a
 * filtered page is read straight from the index at any depth instead of walking the whole inbox:
 * - `phase`: one index over (site, phase, activity). Every message moves `last_message_at`, so the
 *   conversation's update is never HOT and every index of the table gets an entry per message:
 *   this one is the write cost, measured in bench/inbox-api.mjs (docs/architecture.md).
 * - `lead=true` (has an email): a partial index, only leads' rows, so only their messages pay.
 * `lead=false`, `from`/`to` and the unfiltered inbox keep `conversations_site_activity_idx`.
 */
export class InboxFilters1764950000000 implements MigrationInterface {
  name = 'InboxFilters1764950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX conversations_site_phase_activity_idx
         ON conversations (site_id, phase, last_message_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX conversations_site_lead_activity_idx
         ON conversations (site_id, last_message_at DESC, id DESC) WHERE email IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX conversations_site_lead_activity_idx`);
    await db.query(`DROP INDEX conversations_site_phase_activity_idx`);
  }
}
