import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exports and erasures that scale with the data.
 *
 * - A question's review goes with its message through a statement-level trigger instead of a
 *   foreign key: the key's cascade ran once per deleted message (8 µs each: 0.8 s of a 1.0 s
 *   erasure of 100,000 messages), the trigger once per statement. A review can still only name a
 *   message that exists: its insert locks the message as the key's check did, so a review written
 *   while the message is being deleted either waits and fails, or is deleted with it.
 * - The site-wide export reads each table in index order within the site: visitors and
 *   conversations by `(site_id, id)`, messages by `(site_id, conversation_id, seq)`, which replaces
 *   the index on `site_id` alone (it serves every lookup by site as well, so ingest still maintains
 *   the same number of indexes on messages).
 * - The privacy ledger records site-wide exports (subject kind `site`).
 */
export class PrivacyAtScale1764930000000 implements MigrationInterface {
  name = 'PrivacyAtScale1764930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE knowledge_question_reviews DROP CONSTRAINT knowledge_question_reviews_message_id_fkey`,
    );
    await db.query(`
      CREATE FUNCTION knowledge_question_reviews_message_exists() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM 1 FROM messages WHERE id = NEW.message_id AND site_id = NEW.site_id FOR KEY SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'message % of the review does not exist', NEW.message_id
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
      END $fn$`);
    await db.query(`
      CREATE TRIGGER knowledge_question_reviews_message_exists
        BEFORE INSERT OR UPDATE OF site_id, message_id ON knowledge_question_reviews
        FOR EACH ROW EXECUTE FUNCTION knowledge_question_reviews_message_exists()`);
    await db.query(`
      CREATE FUNCTION messages_removed_reviews() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM knowledge_question_reviews r USING removed
         WHERE r.site_id = removed.site_id AND r.message_id = removed.id;
        RETURN NULL;
      END $fn$`);
    await db.query(`
      CREATE TRIGGER messages_removed_reviews AFTER DELETE ON messages
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION messages_removed_reviews()`);

    await db.query(`CREATE INDEX visitors_site_id_idx ON visitors (site_id, id)`);
    await db.query(`CREATE INDEX conversations_site_id_idx ON conversations (site_id, id)`);
    await db.query(
      `CREATE INDEX messages_site_conversation_seq_idx ON messages (site_id, conversation_id, seq)`,
    );
    await db.query(`DROP INDEX messages_site_idx`);

    await db.query(`ALTER TABLE privacy_requests DROP CONSTRAINT privacy_requests_subject_kind_check`);
    await db.query(`ALTER TABLE privacy_requests ADD CONSTRAINT privacy_requests_subject_kind_check
      CHECK (subject_kind IN ('visitor', 'email', 'user', 'site'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM privacy_requests WHERE subject_kind = 'site'`);
    await db.query(`ALTER TABLE privacy_requests DROP CONSTRAINT privacy_requests_subject_kind_check`);
    await db.query(`ALTER TABLE privacy_requests ADD CONSTRAINT privacy_requests_subject_kind_check
      CHECK (subject_kind IN ('visitor', 'email', 'user'))`);
    await db.query(`CREATE INDEX messages_site_idx ON messages (site_id)`);
    await db.query(`DROP INDEX messages_site_conversation_seq_idx`);
    await db.query(`DROP INDEX conversations_site_id_idx`);
    await db.query(`DROP INDEX visitors_site_id_idx`);
    await db.query(`DROP TRIGGER messages_removed_reviews ON messages`);
    await db.query(`DROP FUNCTION messages_removed_reviews()`);
    await db.query(`DROP TRIGGER knowledge_question_reviews_message_exists ON knowledge_question_reviews`);
    await db.query(`DROP FUNCTION knowledge_question_reviews_message_exists()`);
    await db.query(`ALTER TABLE knowledge_question_reviews
      ADD CONSTRAINT knowledge_question_reviews_message_id_fkey
      FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE`);
  }
}
