import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox shows each conversation's latest message and who wrote it without reading messages:
 * the append statement keeps these two columns current in the same write that numbers the message.
 */
export class ConversationLastMessage1764759600000 implements MigrationInterface {
  name = 'ConversationLastMessage1764759600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations
      ADD COLUMN last_message_preview text,
      ADD COLUMN last_message_author text CHECK (last_message_author IN ('visitor', 'assistant', 'agent'))`);
    // The latest message is the one numbered `last_seq` (unique per conversation).
    await db.query(`UPDATE conversations c
        SET last_message_preview = left(m.body, 200), last_message_author = m.author
       FROM messages m
      WHERE m.conversation_id = c.id AND m.seq = c.last_seq`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE conversations DROP COLUMN last_message_preview, DROP COLUMN last_message_author`,
    );
  }
}
