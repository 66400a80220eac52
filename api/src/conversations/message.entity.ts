import type { Citation, MessageAuthor } from '@cloop/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('messages')
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'conversation_id' })
  conversationId: string;

  @Column('uuid', { name: 'site_id' })
  siteId: string;

  @Column('integer')
  seq: number;

  @Column('uuid', { name: 'client_message_id' })
  clientMessageId: string;

  @Column('text')
  author: MessageAuthor;

  @Column('uuid', { name: 'author_user_id', nullable: true })
  authorUserId: string | null;

  @Column('text')
  body: string;

  @Column('jsonb', { default: () => "'[]'" })
  citations: Citation[];

  @Column('real', { nullable: true })
  confidence: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
