import type { ConversationStatus, LeadStatus, MessageAuthor, Phase } from '@cloop/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { ConversationRecord } from './conversation-record';

@Entity('conversations')
export class ConversationEntity implements ConversationRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'site_id' })
  siteId: string;

  @Column('uuid', { name: 'visitor_id' })
  visitorId: string;

  @Column('text', { default: 'exploring' })
  phase: Phase;

  @Column('text', { default: 'open' })
  status: ConversationStatus;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { name: 'lead_status', default: 'none' })
  leadStatus: LeadStatus;

  @Column('text', { name: 'entry_url', nullable: true })
  entryUrl: string | null;

  @Column('text', { nullable: true })
  locale: string | null;

  @Column('integer', { name: 'message_count', default: 0 })
  messageCount: number;

  @Column('integer', { name: 'last_seq', default: 0 })
  lastSeq: number;

  @Column('timestamptz', { name: 'last_message_at', default: () => 'now()' })
  lastMessageAt: Date;

  /** The start of the latest message (what the inbox lists), kept by the append statement. */
  @Column('text', { name: 'last_message_preview', nullable: true })
  lastMessagePreview: string | null;

  @Column('text', { name: 'last_message_author', nullable: true })
  lastMessageAuthor: MessageAuthor | null;

  /**
   * How far the site's team has read (one position for the whole team): the conversation is
   * unread while `lastSeq` is past it. Moved by opening the conversation and by an agent's reply.
   */
  @Column('integer', { name: 'team_seen_seq', default: 0 })
  teamSeenSeq: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
