import { Injectable } from '@nestjs/common';

import type { ConversationRecord } from './conversation-record';
import { ConversationsRepository, type VisitorUnread } from './conversations.repository';
import { type VisitorConversation, VisitorsRepository } from './visitors.repository';

/**
 * Visitors and their conversations as the widget and the socket layer find and mark them, so the
 * repositories stay this module's own (docs/architecture.md, "Module boundaries"). Each method
 * hands back the repository's own promise: the same statement, no extra step on the hot path.
 */
@Injectable()
export class VisitorConversations {
  constructor(
    private readonly visitors: VisitorsRepository,
    private readonly conversations: ConversationsRepository,
  ) {}

  findVisitor(siteId: string, visitorUuid: string): Promise<{ id: string } | null> {
    return this.visitors.find(siteId, visitorUuid);
  }

  /** Creates the visitor, or marks an existing one seen; see {@link VisitorsRepository.upsert}. */
  upsertVisitor(siteId: string, visitorUuid: string): Promise<{ id: string }> {
    return this.visitors.upsert(siteId, visitorUuid);
  }

  /** The site key's validity, the visitor, their open conversation and a stored retry, at once. */
  findWithOpenConversation(
    siteId: string,
    publicKey: string,
    visitorUuid: string,
    clientMessageId: string,
  ): Promise<VisitorConversation> {
    return this.visitors.findWithOpenConversation(siteId, publicKey, visitorUuid, clientMessageId);
  }

  /** The visitor's open conversation, or else their most recently active one. */
  findLatestForVisitor(siteId: string, visitorId: string): Promise<ConversationRecord | null> {
    return this.conversations.findLatestForVisitor(siteId, visitorId);
  }

  findInSite(siteId: string, conversationId: string): Promise<ConversationRecord | null> {
    return this.conversations.findInSite(siteId, conversationId);
  }

  /** How far the visitor has read the conversation (the widget's unread badge). */
  visitorSeenSeq(siteId: string, conversationId: string): Promise<number> {
    return this.conversations.visitorSeenSeq(siteId, conversationId);
  }

  /** What the visitor has not read in their open conversation; `null`: no such visitor or conversation. */
  unreadForVisitor(siteId: string, visitorUuid: string): Promise<VisitorUnread | null> {
    return this.conversations.unreadForVisitor(siteId, visitorUuid);
  }

  /** Moves the visitor's read marker forward; `false` when the conversation is not theirs. */
  markSeenByVisitor(
    siteId: string,
    visitorId: string,
    conversationId: string,
    seq: number,
  ): Promise<boolean> {
    return this.conversations.markSeenByVisitor(siteId, visitorId, conversationId, seq);
  }
}
