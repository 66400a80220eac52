import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mail outbox: a message the app acknowledged survives a restart and is sent by one replica.
 * The recipient and the content (links with their tokens) are sealed in `envelope`; a row is
 * deleted once sent or given up, so nothing of a message outlives its delivery.
 */
export class MailOutbox1764980000000 implements MigrationInterface {
  name = 'MailOutbox1764980000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        envelope text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mail_outbox`);
  }
}
