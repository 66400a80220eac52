import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, their organizations and memberships, refresh-token families, invitations and sites.
 * `created_at` keeps milliseconds only, the precision of a JavaScript Date, so a keyset cursor made
 * from it names the row exactly.
 */
export class AccountsOrganizationsSites1764403200000 implements MigrationInterface {
  name = 'AccountsOrganizationsSites1764403200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email)),
        password_hash text NOT NULL,
        name text NOT NULL,
        -- Access tokens issued before this instant are refused. Set by the app on password change,
        -- from the app's clock: the one that stamps the tokens.
        tokens_valid_after timestamptz NOT NULL DEFAULT 'epoch',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_key UNIQUE (email)
      )`);

    await db.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE memberships (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, user_id)
      )`);
    await db.query(`CREATE INDEX memberships_user_idx ON memberships (user_id)`);
    await db.query(
      `CREATE INDEX memberships_org_created_idx ON memberships (organization_id, created_at, user_id)`,
    );

    await db.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(email)),
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT invitations_org_email_key UNIQUE (organization_id, email)
      )`);
    await db.query(`CREATE INDEX invitations_email_idx ON invitations (email)`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        -- SHA-256 of the opaque token; the token itself is never stored.
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await db.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);

    await db.query(`
      CREATE TABLE sites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        name text NOT NULL,
        public_key text NOT NULL,
        allowed_origins text[] NOT NULL DEFAULT '{}',
        widget jsonb NOT NULL,
        lead_capture boolean NOT NULL DEFAULT false,
        retention_days integer NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sites_public_key_key UNIQUE (public_key)
      )`);
    await db.query(`CREATE INDEX sites_org_created_idx ON sites (organization_id, created_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['sites', 'refresh_tokens', 'invitations', 'memberships', 'organizations', 'users']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
