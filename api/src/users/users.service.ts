import { Injectable } from '@nestjs/common';

import type { Tx } from '../database/transactions';
import type { UserRecord } from './user-record';
import { UsersRepository } from './users.repository';

/**
 * What other modules may do with users: the module's public face, so its repository and entity stay
 * its own (docs/architecture.md, "Module boundaries"). Each method is one repository call.
 */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** Throws the driver's unique-violation error when the email is taken; see `isUniqueViolation`. */
  insert(
    tx: Tx,
    user: Pick<UserRecord, 'email' | 'passwordHash' | 'name' | 'emailVerifiedAt' | 'locale'>,
  ): Promise<UserRecord> {
    return this.users.insert(tx, user);
  }

  findById(userId: string, tx?: Tx): Promise<UserRecord | null> {
    return this.users.findById(userId, tx);
  }

  findByEmail(email: string, tx?: Tx): Promise<UserRecord | null> {
    return this.users.findByEmail(email, tx);
  }

  /** Whether any account exists yet. */
  any(): Promise<boolean> {
    return this.users.any();
  }

  /** Marks the address proven, if it is still the account's address. `true` when it was. */
  markEmailVerified(tx: Tx | null, userId: string, email: string): Promise<boolean> {
    return this.users.markEmailVerified(tx, userId, email);
  }

  updateMailPreferences(
    userId: string,
    preferences: Pick<UserRecord, 'leadNotifications' | 'locale'>,
  ): Promise<void> {
    return this.users.updateMailPreferences(userId, preferences);
  }

  /** Changes the password and refuses every access token issued before `tokensValidAfter`. */
  updatePassword(tx: Tx, userId: string, passwordHash: string, tokensValidAfter: Date): Promise<void> {
    return this.users.updatePassword(tx, userId, passwordHash, tokensValidAfter);
  }
}
