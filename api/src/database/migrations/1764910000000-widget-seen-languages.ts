import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The widget's unread badge outlives a page load without browser storage: the server keeps how far
 * the visitor has read each conversation. Sites' widget settings gain per-language texts and the
 * reply chime (off), so every stored settings object has the full shape.
 */
export class WidgetSeenLanguages1764910000000 implements MigrationInterface {
  name = 'WidgetSeenLanguages1764910000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE conversations ADD COLUMN visitor_seen_seq integer NOT NULL DEFAULT 0
         CHECK (visitor_seen_seq >= 0)`,
    );
    // Existing conversations: what is already there counts as seen (no badge for old history).
    await db.query(`UPDATE conversations SET visitor_seen_seq = last_seq`);
    await db.query(`UPDATE sites SET widget = '{"languages": {}, "sound": false}'::jsonb || widget`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations DROP COLUMN visitor_seen_seq`);
    await db.query(`UPDATE sites SET widget = widget - 'languages' - 'sound'`);
  }
}
