import type { ConversationStatus, LeadStatus, MessageAuthor, Phase } from '@cloop/contracts';

/**
 * A stored conversation as other modules see it: plain fields, no mapping. The entity stays this
 * module's own (docs/architecture.md, "Module boundaries"); it implements this, so the two cannot
 * drift.
 */
export interface ConversationRecord {
  id: string;
  siteId: string;
  visitorId: string;
  phase: Phase;
  status: ConversationStatus;
  email: string | null;
  leadStatus: LeadStatus;
  entryUrl: string | null;
  locale: string | null;
  messageCount: number;
  lastSeq: number;
  lastMessageAt: Date;
  /** The start of the latest message (what the inbox lists). */
  lastMessagePreview: string | null;
  lastMessageAuthor: MessageAuthor | null;
  /** How far the site's team has read: the conversation is unread while `lastSeq` is past it. */
  teamSeenSeq: number;
  createdAt: Date;
}
