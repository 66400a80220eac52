import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Throws the driver's unique-violation error when the email is taken; see `isUniqueViolation`. */
  async insert(tx: Tx, user: Pick<UserEntity, 'email' | 'passwordHash' | 'name'>): Promise<UserEntity> {
    const result = await tx.getRepository(UserEntity).insert(user);
    return { ...user, ...(result.generatedMaps[0] as Omit<UserEntity, 'email' | 'passwordHash' | 'name'>) };
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

  /** Changes the password and refuses every access token issued before `tokensValidAfter`. */
  async updatePassword(tx: Tx, userId: string, passwordHash: string, tokensValidAfter: Date): Promise<void> {
    await tx.getRepository(UserEntity).update({ id: userId }, { passwordHash, tokensValidAfter });
  }
}
