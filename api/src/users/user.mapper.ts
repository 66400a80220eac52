import type { User } from '@cloop/contracts';

import type { UserEntity } from './user.entity';

export function mapUser(user: UserEntity): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    createdAt: user.createdAt.toISOString(),
    emailVerified: user.emailVerifiedAt !== null,
  };
}
