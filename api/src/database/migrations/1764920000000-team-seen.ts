import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's unread state: how far the site's team has read each conversation, one position per
 * conversation (shared by the team, as in a shared inbox: one member opening it clears it for all).
 * Moved by `PUT …/conversations/{id}/seen` and, in the append statement itself, by an agent's reply.
 */
export class TeamSeen1764920000000 implements MigrationInterface {
  name = 'TeamSeen1764920000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE conversations ADD COLUMN team_seen_seq integer NOT NULL DEFAULT 0
         CHECK (team_seen_seq >= 0)`,
    );
    // Conversations from before: counted as read, so an upgrade does not flood the inbox with
    // "unread" for history the team has had in front of it all along.
    await db.query(`UPDATE conversations SET team_seen_seq = last_seq`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations DROP COLUMN team_seen_seq`);
  }
}
