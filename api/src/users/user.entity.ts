import type { MailLocale } from '@cloop/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { UserRecord } from './user-record';

@Entity('users')
export class UserEntity implements UserRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Always lower-case. */
  @Column('text')
  email: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text')
  name: string;

  /** When the address was proven; `null`: never (accounts from before e-mail, or not yet). */
  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt: Date | null;

  @Column('text', { default: 'en' })
  locale: MailLocale;

  @Column('boolean', { name: 'lead_notifications', default: true })
  leadNotifications: boolean;

  /** Access tokens issued before this instant are refused; set from the app's clock. */
  @Column('timestamptz', { name: 'tokens_valid_after', default: () => "'epoch'" })
  tokensValidAfter: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
