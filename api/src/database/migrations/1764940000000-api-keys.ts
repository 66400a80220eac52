import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organization API keys for integrators. Only a keyed hash of the secret is stored (HMAC-SHA-256
 * under a key derived from AUDIT_KEY); `prefix` shows the first characters to tell keys apart.
 * A key acts with its creator's current role: it goes with the organization, and with the creator's
 * account (a key whose creator no longer exists is refused anyway, as the creator has no role).
 * Revoked keys stay (`revoked_at`) so that the audit trail's key ids keep naming something.
 * The audit trail gains the actor kind `api_key`.
 */
export class ApiKeys1764940000000 implements MigrationInterface {
  name = 'ApiKeys1764940000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX api_keys_organization_idx ON api_keys (organization_id, created_at, id)`);
    await db.query(`CREATE INDEX api_keys_created_by_idx ON api_keys (created_by)`);
    await db.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_kind_check`);
    await db.query(
      `ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_kind_check
         CHECK (actor_kind IN ('user', 'visitor', 'system', 'anonymous', 'api_key'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    // The widened actor kind stays: the trail is append-only, and its `api_key` rows with it.
    await db.query(`DROP TABLE api_keys`);
  }
}
