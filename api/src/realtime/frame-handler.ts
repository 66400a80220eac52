import type { ClientFrame } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import type { ConversationRecord } from '../conversations/conversation-record';
import { ConversationsService } from '../conversations/conversations.service';
import { VisitorConversations } from '../conversations/visitor-conversations';
import { type Identity, type RealtimeClient, send } from './realtime-client';
import { SocketAuthentication } from './socket-authentication';

const RESUME_LIMIT = 500;
/** Typing is announced at most this often per conversation and socket. */
const TYPING_INTERVAL_MS = 2_000;

/** The frames of an authenticated socket: subscribe, resume, typing, ping. */
@Injectable()
export class FrameHandler {
  constructor(
    private readonly authentication: SocketAuthentication,
    private readonly visitorConversations: VisitorConversations,
    private readonly conversations: ConversationsService,
  ) {}

  async handle(client: RealtimeClient, identity: Identity, frame: ClientFrame): Promise<void> {
    switch (frame.type) {
      case 'auth':
        throw new DomainError('BAD_REQUEST', 'Already authenticated');
      case 'ping':
        send(client, { type: 'pong' });
        return;
      case 'subscribe':
        if (identity.kind !== 'user')
          throw new DomainError('FORBIDDEN', 'Visitors receive their own conversation only');
        await this.authentication.subscribe(identity, frame.siteId);
        send(client, { type: 'subscribed', siteId: frame.siteId });
        return;
      case 'resume': {
        const conversation = await this.conversationOf(identity, frame.conversationId);
        const missed = await this.conversations.messagesAfter(
          conversation.siteId,
          conversation.id,
          frame.afterSeq,
          RESUME_LIMIT,
        );
        for (const message of missed) {
          send(client, {
            type: 'message.created',
            siteId: conversation.siteId,
            conversationId: conversation.id,
            message,
          });
        }
        return;
      }
      case 'typing': {
        const now = Date.now();
        if (now - (client.lastTyping.get(frame.conversationId) ?? 0) < TYPING_INTERVAL_MS) return;
        client.lastTyping.set(frame.conversationId, now);
        const conversation = await this.conversationOf(identity, frame.conversationId);
        await this.conversations.typing(conversation, identity.kind === 'user' ? 'agent' : 'visitor');
        return;
      }
    }
  }

  /** A conversation the identity may see: in a subscribed site, or the visitor's own. */
  private async conversationOf(identity: Identity, conversationId: string): Promise<ConversationRecord> {
    if (isUuid(conversationId)) {
      const sites = identity.kind === 'user' ? [...identity.sites.keys()] : [identity.siteId];
      for (const siteId of sites) {
        const conversation = await this.visitorConversations.findInSite(siteId, conversationId);
        if (conversation && (identity.kind === 'user' || conversation.visitorId === identity.visitorId)) {
          return conversation;
        }
      }
    }
    throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
  }
}
