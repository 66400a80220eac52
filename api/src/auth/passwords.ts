import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@cloop/contracts';
import * as argon2 from 'argon2';

import { COMMON_PASSWORDS } from './common-passwords';

/** OWASP's argon2id baseline: 19 MiB of memory, 2 iterations, 1 lane. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash with the same parameters as real ones (a spec checks they stay in step), of a password no
 * account has. Verifying against it costs what a real check costs, so an unknown email cannot be
 * told apart from a wrong password by the response time.
 */
export const DECOY_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$yINNuZDwuwRDO+M08spNCw$/JHyqRINKIjDSIqYn0ckO9f+5bjU1kJhKDb28QJjjHg';

export async function verifyAgainstDecoy(password: string): Promise<false> {
  await verifyPassword(DECOY_HASH, password);
  return false;
}

/** Why a new password is refused, or `null` if it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'This password is too common; choose another';
  if (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0]) {
    return 'Password must not be your email address';
  }
  return null;
}
