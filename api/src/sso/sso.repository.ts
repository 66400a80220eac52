import type { Role, SsoNewUserRole } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';

export interface SsoSettingsRow {
  organizationId: string;
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecretEncrypted: string | null;
  newUserRole: SsoNewUserRole;
  ssoOnly: boolean;
  allowedDomains: string[];
  updatedAt: Date;
}

export interface SsoSessionRow {
  organizationId: string;
  userId: string;
  providerRefreshTokenEncrypted: string | null;
  checkedAt: Date;
}

const SETTINGS = `s.organization_id AS "organizationId", s.enabled, s.issuer, s.client_id AS "clientId",
  s.client_secret_encrypted AS "clientSecretEncrypted", s.provisioned_role AS "newUserRole",
  s.sso_only AS "ssoOnly", s.updated_at AS "updatedAt",
  coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM sso_domains d
             WHERE d.organization_id = s.organization_id), '{}') AS "allowedDomains"`;

/** Single sign-on's tables (see the `Sso1764990000000` migration). */
@Injectable()
export class SsoRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findSettings(organizationId: string, tx?: Tx): Promise<SsoSettingsRow | null> {
    const rows = await (tx ?? this.dataSource).query<SsoSettingsRow[]>(
      `SELECT ${SETTINGS} FROM sso_settings s WHERE s.organization_id = $1`,
      [organizationId],
    );
    return rows[0] ?? null;
  }

  /** The enabled settings whose allowed domains include `domain`. */
  async findEnabledByDomain(domain: string): Promise<SsoSettingsRow | null> {
    const rows = await this.dataSource.query<SsoSettingsRow[]>(
      `SELECT ${SETTINGS} FROM sso_settings s JOIN sso_domains d ON d.organization_id = s.organization_id
        WHERE d.domain = $1 AND s.enabled`,
      [domain],
    );
    return rows[0] ?? null;
  }

  /** Writes the settings and replaces the domains; a domain of another organization violates `sso_domains_pkey`. */
  async save(
    tx: Tx,
    row: Omit<SsoSettingsRow, 'updatedAt' | 'clientSecretEncrypted'> & { clientSecretEncrypted?: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO sso_settings (organization_id, enabled, issuer, client_id, client_secret_encrypted,
                                 provisioned_role, sso_only)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (organization_id) DO UPDATE SET
         enabled = excluded.enabled, issuer = excluded.issuer, client_id = excluded.client_id,
         client_secret_encrypted = coalesce(excluded.client_secret_encrypted, sso_settings.client_secret_encrypted),
         provisioned_role = excluded.provisioned_role, sso_only = excluded.sso_only, updated_at = now()`,
      [
        row.organizationId,
        row.enabled,
        row.issuer,
        row.clientId,
        row.clientSecretEncrypted ?? null,
        row.newUserRole,
        row.ssoOnly,
      ],
    );
    await tx.query(`DELETE FROM sso_domains WHERE organization_id = $1`, [row.organizationId]);
    if (row.allowedDomains.length > 0) {
      await tx.query(`INSERT INTO sso_domains (domain, organization_id) SELECT unnest($1::text[]), $2`, [
        row.allowedDomains,
        row.organizationId,
      ]);
    }
  }

  /** The user's memberships in organizations whose enabled SSO is "SSO only". */
  ssoOnlyMemberships(userId: string): Promise<{ organizationId: string; role: Role }[]> {
    return this.dataSource.query(
      `SELECT m.organization_id AS "organizationId", m.role FROM memberships m
         JOIN sso_settings s ON s.organization_id = m.organization_id
        WHERE m.user_id = $1 AND s.enabled AND s.sso_only`,
      [userId],
    );
  }

  async insertLogin(
    login: { stateHash: Buffer; organizationId: string; codeVerifier: string; nonce: string },
    ttlSeconds: number,
  ): Promise<void> {
    // Abandoned sign-ins are few and small: each new one sweeps the expired.
    await this.dataSource.query(`DELETE FROM sso_logins WHERE expires_at < now()`);
    await this.dataSource.query(
      `INSERT INTO sso_logins (state_hash, organization_id, code_verifier, nonce, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [login.stateHash, login.organizationId, login.codeVerifier, login.nonce, ttlSeconds],
    );
  }

  /** Takes a started sign-in that has not expired: one statement, so a `state` works once. */
  async takeLogin(
    stateHash: Buffer,
  ): Promise<{ organizationId: string; codeVerifier: string; nonce: string } | null> {
    // A DELETE answers `[rows, count]` through TypeORM.
    const [rows] = await this.dataSource.query<
      [{ organizationId: string; codeVerifier: string; nonce: string; live: boolean }[], number]
    >(
      `DELETE FROM sso_logins WHERE state_hash = $1
       RETURNING organization_id AS "organizationId", code_verifier AS "codeVerifier", nonce,
                 expires_at > now() AS live`,
      [stateHash],
    );
    const row = rows[0];
    return row?.live
      ? { organizationId: row.organizationId, codeVerifier: row.codeVerifier, nonce: row.nonce }
      : null;
  }

  async insertSession(tx: Tx, sessionId: string, session: Omit<SsoSessionRow, 'checkedAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO sso_sessions (family_id, user_id, organization_id, provider_refresh_token_encrypted, checked_at)
       VALUES ($1, $2, $3, $4, now())`,
      [sessionId, session.userId, session.organizationId, session.providerRefreshTokenEncrypted],
    );
  }

  async findSession(sessionId: string): Promise<SsoSessionRow | null> {
    const rows = await this.dataSource.query<SsoSessionRow[]>(
      `SELECT organization_id AS "organizationId", user_id AS "userId",
              provider_refresh_token_encrypted AS "providerRefreshTokenEncrypted", checked_at AS "checkedAt"
         FROM sso_sessions WHERE family_id = $1`,
      [sessionId],
    );
    const row = rows[0];
    return row ? { ...row, checkedAt: new Date(row.checkedAt) } : null;
  }

  async markSessionChecked(sessionId: string, providerRefreshTokenEncrypted: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sso_sessions SET checked_at = now(), provider_refresh_token_encrypted = $2 WHERE family_id = $1`,
      [sessionId, providerRefreshTokenEncrypted],
    );
  }
}
