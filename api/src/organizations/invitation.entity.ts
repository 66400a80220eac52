import type { MailLocale, Role } from '@cloop/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('invitations')
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  /** Always lower-case. */
  @Column('text')
  email: string;

  @Column('text')
  role: Role;

  @Column('uuid', { name: 'invited_by', nullable: true })
  invitedBy: string | null;

  /** Part of the signed link; renewing the invitation draws a new one, so older links stop working. */
  @Column('text', { name: 'link_nonce' })
  linkNonce: string;

  @Column('text', { default: 'en' })
  locale: MailLocale;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
