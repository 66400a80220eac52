import type {
  Conversation,
  ConversationListQuery,
  ConversationSeenRequest,
  Message,
  Page,
  SendMessageRequest,
  Transcript,
  UpdateConversationRequest,
} from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { Principal, SiteScope } from '../access/access-policy';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import { mapConversation } from './conversation.mapper';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';

/** A transcript longer than this is cut to its latest messages; older ones come through `messagesAfter`. */
const TRANSCRIPT_LIMIT = 1000;

/** The site team's side of conversations. The access guard has resolved the site and role. */
@Injectable()
export class InboxService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly repository: ConversationsRepository,
  ) {}

  async list(scope: SiteScope, query: ConversationListQuery): Promise<Page<Conversation>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor);
    const rows = await this.repository.list(
      scope.siteId,
      {
        phase: query.phase,
        lead: query.lead,
        q: query.q?.trim() || undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      after ? { lastMessageAt: after.createdAt, id: after.id } : null,
      limit,
    );
    return toPage(rows, limit, mapConversation, (row) => ({ createdAt: row.lastMessageAt, id: row.id }));
  }

  async transcript(scope: SiteScope, conversationId: string): Promise<Transcript> {
    const { conversation, messages } = await this.conversations.transcript(
      scope.siteId,
      conversationId,
      TRANSCRIPT_LIMIT,
    );
    return { conversation: mapConversation(conversation), messages };
  }

  async reply(scope: SiteScope, agent: Principal, conversationId: string, request: SendMessageRequest) {
    const { message, created } = await this.conversations.append({
      siteId: scope.siteId,
      conversationId,
      clientMessageId: request.id,
      author: 'agent',
      authorUserId: agent.userId,
      body: request.body,
    });
    return { message, created } satisfies { message: Message; created: boolean };
  }

  async update(
    scope: SiteScope,
    conversationId: string,
    request: UpdateConversationRequest,
  ): Promise<Conversation> {
    return mapConversation(await this.conversations.update(scope.siteId, conversationId, request));
  }

  async markSeen(
    scope: SiteScope,
    conversationId: string,
    request: ConversationSeenRequest,
  ): Promise<Conversation> {
    return mapConversation(
      await this.conversations.markSeenByTeam(scope.siteId, conversationId, request.seq),
    );
  }

  delete(scope: SiteScope, actor: Principal, conversationId: string): Promise<void> {
    return this.conversations.delete(scope, actor, conversationId);
  }
}
