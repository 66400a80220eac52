import type { ApiKeyScope, Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';

export interface ApiKeyRow {
  id: string;
  organization_id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  expires_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
  created_by: string | null;
  creator_name: string | null;
}

/** What authenticating a request needs: the key and its creator's role in the key's organization now. */
export interface KeyForAuthentication {
  id: string;
  organization_id: string;
  name: string;
  scopes: ApiKeyScope[];
  created_by: string | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  creator_role: Role | null;
}

export interface NewApiKey {
  organizationId: string;
  createdBy: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
}

const COLUMNS = `k.id, k.organization_id, k.name, k.prefix, k.scopes, k.expires_at, k.last_used_at,
  k.created_at, k.created_by, u.name AS creator_name`;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keys not revoked, expired ones included (so the console can show that they expired). */
  list(organizationId: string): Promise<ApiKeyRow[]> {
    return this.dataSource.query<ApiKeyRow[]>(
      `SELECT ${COLUMNS} FROM api_keys k LEFT JOIN users u ON u.id = k.created_by
        WHERE k.organization_id = $1 AND k.revoked_at IS NULL
        ORDER BY k.created_at, k.id`,
      [organizationId],
    );
  }

  async countUnrevoked(tx: Tx, organizationId: string): Promise<number> {
    // Serializes concurrent creations in one organization, so the limit holds.
    await tx.query(`SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE`, [organizationId]);
    const rows = await tx.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM api_keys WHERE organization_id = $1 AND revoked_at IS NULL`,
      [organizationId],
    );
    return rows[0]?.count ?? 0;
  }

  async insert(tx: Tx, key: NewApiKey): Promise<ApiKeyRow> {
    const rows = await tx.query<ApiKeyRow[]>(
      `WITH k AS (
         INSERT INTO api_keys (organization_id, created_by, name, prefix, secret_hash, scopes, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6::text[], $7) RETURNING *)
       SELECT ${COLUMNS} FROM k LEFT JOIN users u ON u.id = k.created_by`,
      [key.organizationId, key.createdBy, key.name, key.prefix, key.hash, key.scopes, key.expiresAt],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return row;
  }

  /** Whether a key of the organization was revoked now (not: unknown, or revoked before). */
  async revoke(tx: Tx, organizationId: string, keyId: string): Promise<boolean> {
    // A raw UPDATE comes back from TypeORM as [rows, affected count].
    const [, affected] = await tx.query<[unknown[], number]>(
      `UPDATE api_keys SET revoked_at = now()
        WHERE id = $1 AND organization_id = $2 AND revoked_at IS NULL`,
      [keyId, organizationId],
    );
    return affected > 0;
  }

  /** One indexed lookup per request: the key by its hash, with its creator's current role. */
  async findForAuthentication(hash: string): Promise<KeyForAuthentication | null> {
    const rows = await this.dataSource.query<KeyForAuthentication[]>(
      `SELECT k.id, k.organization_id, k.name, k.scopes, k.created_by, k.expires_at, k.revoked_at,
              k.last_used_at, m.role AS creator_role
         FROM api_keys k
         LEFT JOIN memberships m ON m.organization_id = k.organization_id AND m.user_id = k.created_by
        WHERE k.secret_hash = $1`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /** Moves `last_used_at` unless another request (on any replica) did within the last minute. */
  async touch(keyId: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute')`,
      [keyId, at],
    );
  }
}
