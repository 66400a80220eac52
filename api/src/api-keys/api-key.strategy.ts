import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { Principal } from '../access/access-policy';
import { AppStrategy } from '../access/app-strategy';
import { DomainError } from '../common/domain-error';
import { ApiKeySecrets } from './api-key-secrets';
import { ApiKeysRepository } from './api-keys.repository';

export const API_KEY_REFUSED =
  'The API key is invalid, expired or revoked, or its creator left the organization';
/** `last_used_at` moves at most this often per key: one small write a minute instead of one a request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Organization API keys on REST routes (`Authorization: Bearer ck_…`), beside `console-jwt`: the
 * caller becomes the key's creator, limited to the key's organization and scopes (the access guard
 * applies both), with the creator's role as it is now. A key whose creator is no longer a member
 * of its organization is refused like a revoked one. Every failure is the same 401.
 */
@Injectable()
export class ApiKeyStrategy extends AppStrategy {
  /** The clock; a test may replace it. */
  now: () => number = Date.now;

  constructor(
    private readonly secrets: ApiKeySecrets,
    private readonly keys: ApiKeysRepository,
  ) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal> {
    const match = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '');
    const hash = match?.[1] ? this.secrets.hashOf(match[1]) : null;
    const key = hash ? await this.keys.findForAuthentication(hash) : null;
    const now = this.now();
    if (
      !key ||
      key.revoked_at !== null ||
      (key.expires_at !== null && key.expires_at.getTime() <= now) ||
      key.created_by === null ||
      key.creator_role === null
    ) {
      throw new DomainError('UNAUTHENTICATED', API_KEY_REFUSED);
    }
    if (key.last_used_at === null || now - key.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.keys.touch(key.id, new Date(now));
    }
    return {
      userId: key.created_by,
      apiKey: { id: key.id, name: key.name, organizationId: key.organization_id, scopes: key.scopes },
    };
  }
}
