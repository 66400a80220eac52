import { Inject, Injectable } from '@nestjs/common';

import { SealedValues } from '../common/sealed-values';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

/**
 * The client secret (bound to its organization) and the providers' refresh tokens (bound to the
 * person and organization), encrypted at rest like webhook secrets, under a key of their own.
 */
@Injectable()
export class SsoSecrets extends SealedValues {
  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    super(config.jwtSecret, 'cloop sso secrets');
  }
}

/** The associated data of a provider refresh token: it decrypts only for the session it was given for. */
export function refreshTokenOwner(userId: string, organizationId: string): string {
  return `refresh:${userId}:${organizationId}`;
}
