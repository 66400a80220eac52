import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID Connect single sign-on per organization.
 * - `sso_settings`: one row per organization; the client secret is AES-GCM encrypted like webhook
 *   secrets (a database dump alone does not reveal it).
 * - `sso_domains`: the allowed e-mail domains, one organization each, so that a sign-in started
 *   with an address finds exactly one organization.
 * - `sso_logins`: a started sign-in (hash of `state`, the PKCE verifier and the nonce) until the
 *   provider sends the browser back; single use, ten minutes. Server-side: Cloop sets no cookies.
 * - `sso_sessions`: which console sessions came through a provider, with the provider's refresh
 *   token (encrypted) and when the provider last vouched for the person.
 */
export class Sso1764990000000 implements MigrationInterface {
  name = 'Sso1764990000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sso_settings (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        enabled boolean NOT NULL,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_secret_encrypted text,
        provisioned_role text NOT NULL CHECK (provisioned_role IN ('member', 'admin')),
        sso_only boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE sso_domains (
        domain text PRIMARY KEY CHECK (domain = lower(domain)),
        organization_id uuid NOT NULL REFERENCES sso_settings (organization_id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX sso_domains_organization_idx ON sso_domains (organization_id)`);
    await db.query(`
      CREATE TABLE sso_logins (
        state_hash bytea PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        code_verifier text NOT NULL,
        nonce text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE sso_sessions (
        family_id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        provider_refresh_token_encrypted text,
        checked_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX sso_sessions_user_idx ON sso_sessions (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sso_sessions, sso_logins, sso_domains, sso_settings`);
  }
}
