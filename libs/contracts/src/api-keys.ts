/** What an organization API key may be allowed to do: read, or read and write, per area. */
export const API_KEY_AREAS = ['sites', 'conversations', 'knowledge', 'privacy', 'webhooks'] as const;
export type ApiKeyArea = (typeof API_KEY_AREAS)[number];

export const API_KEY_SCOPES = API_KEY_AREAS.flatMap((area) => [`${area}:read`, `${area}:write`] as const);
/** `<area>:read` or `<area>:write`; write includes read. */
export type ApiKeyScope = `${ApiKeyArea}:${'read' | 'write'}`;

/** Every key's secret starts with this, so that the API (and secret scanners) can tell it apart. */
export const API_KEY_PREFIX = 'ck_';
export const API_KEY_NAME_MAX_LENGTH = 100;
export const MAX_API_KEYS_PER_ORGANIZATION = 50;

/** A key as the console lists it: never its secret. */
export interface ApiKey {
  id: string;
  organizationId: string;
  name: string;
  /** The first characters of the secret (`ck_` and 6 more), to tell keys apart. */
  prefix: string;
  scopes: ApiKeyScope[];
  /** `null`: never expires. */
  expiresAt: string | null;
  /** When the key was last accepted, to the minute. */
  lastUsedAt: string | null;
  createdAt: string;
  /** Who created it; the key acts with this person's current role. `null` once the account is deleted. */
  createdBy: { userId: string; name: string } | null;
}

/** Answer of create: the only time the secret is shown. */
export interface ApiKeyWithSecret {
  apiKey: ApiKey;
  /** `ck_…`: send it as `Authorization: Bearer ck_…`. Cloop keeps only a keyed hash of it. */
  secret: string;
}

export interface CreateApiKeyRequest {
  name: string;
  scopes: ApiKeyScope[];
  /** ISO 8601, in the future; omitted or `null`: never expires. */
  expiresAt?: string | null;
}

/** Whether a key's scopes allow what a route needs (write includes read). */
export function apiKeyAllows(scopes: readonly ApiKeyScope[], required: ApiKeyScope): boolean {
  const [area, access] = required.split(':') as [ApiKeyArea, 'read' | 'write'];
  return scopes.includes(required) || (access === 'read' && scopes.includes(`${area}:write`));
}
