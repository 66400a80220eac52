import type { AuthResponse } from '@cloop/contracts';

import type { UserRecord } from '../users/user-record';
import { mapUser } from '../users/user.mapper';
import type { TokenPair } from './sessions.service';

export function mapAuthResponse(tokens: TokenPair, user: UserRecord): AuthResponse {
  return {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
    user: mapUser(user),
  };
}
