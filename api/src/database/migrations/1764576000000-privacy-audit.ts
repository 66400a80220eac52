import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The privacy request ledger and the audit trail. Neither holds a subject in the clear: the ledger
 * keeps a keyed hash of who a request was about, the audit trail ids and counts.
 */
export class PrivacyAudit1764576000000 implements MigrationInterface {
  name = 'PrivacyAudit1764576000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE privacy_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Null for a console user's requests about their own account.
        organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
        -- The record outlives the site: it proves how the organization answered a request.
        site_id uuid REFERENCES sites (id) ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('export', 'erase')),
        subject_kind text NOT NULL CHECK (subject_kind IN ('visitor', 'email', 'user')),
        -- HMAC of the subject: recognises a repeated request, reveals nobody.
        subject_hash text NOT NULL,
        received_at timestamptz(3) NOT NULL,
        due_at timestamptz(3) NOT NULL,
        completed_at timestamptz(3),
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'visitor', 'system')),
        actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        counts jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX privacy_requests_site_idx ON privacy_requests (site_id, received_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX privacy_requests_actor_idx ON privacy_requests (actor_user_id)`);

    await db.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        -- Position in the organization's chain: 1, 2, 3… without gaps.
        seq bigint NOT NULL CHECK (seq > 0),
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'visitor', 'system', 'anonymous')),
        -- No foreign key: the trail keeps the (pseudonymous) id after the account is gone.
        actor_user_id uuid,
        action text NOT NULL,
        target_type text,
        target_id text,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        -- SHA-256 over the previous row's hash and this row's content.
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT audit_events_chain_key UNIQUE (organization_id, seq)
      )`);
    await db.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id)`);
    await db.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id)`);
    // Append-only: rows change never, and disappear only with their whole organization.
    await db.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          -- The organization is being deleted: its whole chain goes with it.
          IF NOT EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id) THEN
            RETURN OLD;
          END IF;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await db.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    // Erasing an account unlinks what it authored or sent.
    await db.query(`CREATE INDEX messages_author_user_idx ON messages (author_user_id)`);
    await db.query(`CREATE INDEX invitations_invited_by_idx ON invitations (invited_by)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX invitations_invited_by_idx`);
    await db.query(`DROP INDEX messages_author_user_idx`);
    await db.query(`DROP TABLE audit_events`);
    await db.query(`DROP FUNCTION audit_events_append_only`);
    await db.query(`DROP TABLE privacy_requests`);
  }
}
