import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail (issue 18): proven addresses, password-reset tokens (hashed), invitation links that a new
 * invitation or a renewal makes void, the locale messages are written in, and each user's choice
 * of lead notifications.
 */
export class Mail1764960000000 implements MigrationInterface {
  name = 'Mail1764960000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamptz`);
    await db.query(
      `ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fi'))`,
    );
    await db.query(`ALTER TABLE users ADD COLUMN lead_notifications boolean NOT NULL DEFAULT true`);
    // Rows from before get a nonce of their own; new rows get theirs from the app.
    await db.query(
      `ALTER TABLE invitations ADD COLUMN link_nonce text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '')`,
    );
    await db.query(
      `ALTER TABLE invitations ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fi'))`,
    );
    await db.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX password_resets_user ON password_resets (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE password_resets`);
    await db.query(`ALTER TABLE invitations DROP COLUMN locale, DROP COLUMN link_nonce`);
    await db.query(
      `ALTER TABLE users DROP COLUMN lead_notifications, DROP COLUMN locale, DROP COLUMN email_verified_at`,
    );
  }
}
