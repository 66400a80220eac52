import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Throws the driver's unique-violation error when the email is taken; see `isUniqueViolation`. */
  async insert(
    tx: Tx,
    user: Pick<UserEntity, 'email' | 'passwordHash' | 'name' | 'emailVerifiedAt' | 'locale'>,
  ): Promise<UserEntity> {
    const result = await tx.getRepository(UserEntity).insert(user);
    return { ...(result.generatedMaps[0] as UserEntity), ...user };
  }

  findById(userId: string, tx?: Tx): Promise<UserEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(UserEntity).findOneBy({ id: userId });
  }

  findByEmail(email: string, tx?: Tx): Promise<UserEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(UserEntity).findOneBy({ email });
  }

  /** Whether any account exists yet. */
  any(): Promise<boolean> {
    return this.dataSource.getRepository(UserEntity).exists();
  }

  /** Marks the address proven, if it is still the account's address. `true` when it was. */
  async markEmailVerified(tx: Tx | null, userId: string, email: string): Promise<boolean> {
    const result = await (tx ?? this.dataSource.manager)
      .createQueryBuilder()
      .update(UserEntity)
      .set({ emailVerifiedAt: () => 'COALESCE(email_verified_at, now())' })
      .where('id = :userId AND email = :email', { userId, email })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async updateMailPreferences(
    userId: string,
    preferences: Pick<UserEntity, 'leadNotifications' | 'locale'>,
  ): Promise<void> {
    await this.dataSource.getRepository(UserEntity).update({ id: userId }, preferences);
  }

  /** Changes the password and refuses every access token issued before `tokensValidAfter`. */
  async updatePassword(tx: Tx, userId: string, passwordHash: string, tokensValidAfter: Date): Promise<void> {
    await tx.getRepository(UserEntity).update({ id: userId }, { passwordHash, tokensValidAfter });
  }
}
