import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visitors, their conversations and the messages in them. No column holds a client IP address.
 * `created_at` and `last_message_at` keep milliseconds only, so keyset cursors name rows exactly.
 */
export class Conversations1764489600000 implements MigrationInterface {
  name = 'Conversations1764489600000';

  async up(db: QueryRunner): Promise<void> {
    // CORS preflights ask whether any site allows an origin.
    await db.query(`CREATE INDEX sites_allowed_origins_idx ON sites USING gin (allowed_origins)`);

    await db.query(`
      CREATE TABLE visitors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        -- The random id the widget keeps in the browser; a bearer secret of that browser.
        visitor_uuid uuid NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT visitors_site_visitor_key UNIQUE (site_id, visitor_uuid),
        -- Target of the composite keys below: a row can only point at a parent of its own site.
        CONSTRAINT visitors_id_site_key UNIQUE (id, site_id)
      )`);

    await db.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        visitor_id uuid NOT NULL,
        phase text NOT NULL DEFAULT 'exploring' CHECK (phase IN ('exploring', 'learning', 'requesting_contact')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        email text CHECK (email = lower(email)),
        lead_status text NOT NULL DEFAULT 'none'
          CHECK (lead_status IN ('none', 'new', 'contacted', 'qualified', 'lost')),
        entry_url text,
        locale text,
        message_count integer NOT NULL DEFAULT 0,
        last_seq integer NOT NULL DEFAULT 0,
        last_message_at timestamptz(3) NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT conversations_id_site_key UNIQUE (id, site_id),
        -- The visitor belongs to the same site: no conversation can straddle two tenants.
        CONSTRAINT conversations_visitor_fkey FOREIGN KEY (visitor_id, site_id)
          REFERENCES visitors (id, site_id) ON DELETE CASCADE
      )`);
    // The inbox: newest activity first, per site, with keyset pagination.
    await db.query(
      `CREATE INDEX conversations_site_activity_idx ON conversations (site_id, last_message_at DESC, id DESC)`,
    );
    // A visitor has at most one open conversation.
    await db.query(
      `CREATE UNIQUE INDEX conversations_one_open_per_visitor ON conversations (visitor_id) WHERE status = 'open'`,
    );
    await db.query(`CREATE INDEX conversations_visitor_idx ON conversations (visitor_id)`);
    await db.query(
      `CREATE INDEX conversations_site_email_idx ON conversations (site_id, email) WHERE email IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL,
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq > 0),
        client_message_id uuid NOT NULL,
        author text NOT NULL CHECK (author IN ('visitor', 'assistant', 'agent')),
        author_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        body text NOT NULL,
        citations jsonb NOT NULL DEFAULT '[]',
        confidence real CHECK (confidence BETWEEN 0 AND 1),
        -- The moment of the insert, not of the transaction's start: follows seq order under load.
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT messages_conversation_seq_key UNIQUE (conversation_id, seq),
        CONSTRAINT messages_conversation_client_id_key UNIQUE (conversation_id, client_message_id),
        -- The message's site is its conversation's site.
        CONSTRAINT messages_conversation_fkey FOREIGN KEY (conversation_id, site_id)
          REFERENCES conversations (id, site_id) ON DELETE CASCADE
      )`);
    // Inbox search over message text, on every PostgreSQL (no extension needed).
    await db.query(
      `CREATE INDEX messages_body_search_idx ON messages USING gin (to_tsvector('simple', body))`,
    );
    await db.query(`CREATE INDEX messages_site_idx ON messages (site_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['messages', 'conversations', 'visitors']) await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP INDEX sites_allowed_origins_idx`);
  }
}
