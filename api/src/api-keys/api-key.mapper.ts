import type { ApiKey } from '@cloop/contracts';

import type { ApiKeyRow } from './api-keys.repository';

export function mapApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by !== null ? { userId: row.created_by, name: row.creator_name ?? '' } : null,
  };
}
