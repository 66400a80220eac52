import type { Conversation, Message, WidgetConversation } from '@cloop/contracts';

import type { ConversationEntity } from './conversation.entity';
import type { ConversationRow } from './conversations.repository';
import type { MessageEntity } from './message.entity';

/** From an entity or from a row of the inbox list (the same properties). */
export function mapConversation(conversation: ConversationRow): Conversation {
  return {
    id: conversation.id,
    siteId: conversation.siteId,
    visitorId: conversation.visitorId,
    phase: conversation.phase,
    status: conversation.status,
    email: conversation.email,
    leadStatus: conversation.leadStatus,
    entryUrl: conversation.entryUrl,
    locale: conversation.locale,
    messageCount: conversation.messageCount,
    lastSeq: conversation.lastSeq,
    lastMessageAt: conversation.lastMessageAt.toISOString(),
    lastMessagePreview: conversation.lastMessagePreview,
    lastMessageAuthor: conversation.lastMessageAuthor,
    teamSeenSeq: conversation.teamSeenSeq,
    createdAt: conversation.createdAt.toISOString(),
  };
}

/** The visitor's own view: no internal ids, no lead pipeline (from a row or from the team's view). */
export function mapWidgetConversation(
  conversation: Pick<ConversationEntity | Conversation, keyof WidgetConversation>,
): WidgetConversation {
  return {
    id: conversation.id,
    phase: conversation.phase,
    status: conversation.status,
    email: conversation.email,
    lastSeq: conversation.lastSeq,
  };
}

export function mapMessage(message: MessageEntity, authorName: string | null): Message {
  return {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    clientMessageId: message.clientMessageId,
    author: message.author,
    authorName: message.author === 'agent' ? authorName : null,
    body: message.body,
    citations: message.citations,
    confidence: message.confidence,
    createdAt: message.createdAt.toISOString(),
  };
}
