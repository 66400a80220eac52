import type { User } from '@cloop/contracts';

import type { UserRecord } from './user-record';

export function mapUser(user: UserRecord): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    createdAt: user.createdAt.toISOString(),
    emailVerified: user.emailVerifiedAt !== null,
  };
}
