import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit rows are keyed from now on (HMAC-SHA-256 under AUDIT_KEY). Rows written before keep their
 * plain SHA-256 and say so, and still verify: the first keyed row of a chain covers their last
 * hash, so rewriting them breaks a link nobody can re-key without the audit key.
 *
 * Adding a column with a default fires no row trigger, so the append-only trail is not touched.
 * The default is dropped afterwards: a row must say how it was hashed, and an old replica that does
 * not know must fail rather than write unkeyed rows after keyed ones.
 */
export class AuditKeyedHashes1764770000000 implements MigrationInterface {
  name = 'AuditKeyedHashes1764770000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_events ADD COLUMN hash_alg text NOT NULL DEFAULT 'sha256'
                      CONSTRAINT audit_events_hash_alg_check CHECK (hash_alg IN ('sha256', 'hmac-sha256'))`);
    await db.query(`ALTER TABLE audit_events ALTER COLUMN hash_alg DROP DEFAULT`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_events DROP COLUMN hash_alg`);
  }
}
