import type {
  Message,
  SendMessageRequest,
  WidgetConfig,
  WidgetConversation,
  WidgetMessagesResponse,
  WidgetSeenRequest,
  WidgetSessionRequest,
  WidgetSessionResponse,
  WidgetUnreadResponse,
} from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import type { VisitorScope, WidgetSiteScope } from '../access/access-policy';
import { WidgetSiteCache } from '../access/widget-site-cache';
import { AssistantService } from '../assistant/assistant.service';
import { DomainError } from '../common/domain-error';
import { normalizeEmail } from '../common/identifiers';
import type { ConversationRecord } from '../conversations/conversation-record';
import { mapMessage, mapWidgetConversation } from '../conversations/conversation.mapper';
import { type Appended, ConversationsService } from '../conversations/conversations.service';
import { VisitorConversations } from '../conversations/visitor-conversations';
import { isForeignKeyViolation } from '../database/constraint-violations';
import { RateLimitKeys } from '../rate-limit/rate-limit-keys';
import { RateLimitStore } from '../rate-limit/rate-limit.store';

/** How many messages a session or a catch-up returns at most. */
const PAGE = 200;

/** The visitor's side of conversations: only ever their own, on the site of the key. */
@Injectable()
export class WidgetService {
  constructor(
    private readonly visitors: VisitorConversations,
    private readonly conversations: ConversationsService,
    private readonly assistant: AssistantService,
    private readonly widgetSites: WidgetSiteCache,
    private readonly limits: RateLimitStore,
    private readonly keys: RateLimitKeys,
    @Inject(APP_CONFIG) private readonly appConfig: ResolvedConfig,
  ) {}

  config(site: WidgetSiteScope): WidgetConfig {
    return { widget: site.widget, leadCapture: site.leadCapture };
  }

  /** Creates or resumes the visitor and their open conversation. */
  async session(
    visitor: VisitorScope,
    ip: string,
    request: WidgetSessionRequest,
  ): Promise<WidgetSessionResponse> {
    const conversation = await this.openConversation(visitor, ip, {
      entryUrl: withoutQueryOrFragment(request.entryUrl),
      locale: request.locale ?? null,
    });
    const [messages, seenSeq] = await Promise.all([
      this.latestMessages(conversation),
      this.visitors.visitorSeenSeq(visitor.siteId, conversation.id),
    ]);
    return {
      conversation: mapWidgetConversation(conversation),
      messages,
      config: this.config(visitor),
      seenSeq,
    };
  }

  /**
   * What a returning visitor has not read, for the closed launcher: reads only, so loading a page
   * with the panel closed creates no visitor and no conversation (and an unknown visitor learns
   * nothing, not even that the uuid is unknown).
   */
  async unread(visitor: VisitorScope): Promise<WidgetUnreadResponse> {
    const unread = await this.visitors.unreadForVisitor(visitor.siteId, visitor.visitorUuid);
    // Counted and picked in one statement: no latest reply means nothing is unread.
    if (!unread?.latest) return { count: 0, latest: null };
    const { seq, author, authorName, preview } = unread.latest;
    return {
      count: unread.count,
      latest: {
        conversationId: unread.conversationId,
        seq,
        author,
        authorName: author === 'agent' ? authorName : null,
        body: preview,
      },
    };
  }

  /** The visitor has read their conversation up to `seq` (the unread badge's memory). */
  async markSeen(visitor: VisitorScope, request: WidgetSeenRequest): Promise<void> {
    const known = await this.visitors.findVisitor(visitor.siteId, visitor.visitorUuid);
    const marked =
      known !== null &&
      (await this.visitors.markSeenByVisitor(visitor.siteId, known.id, request.conversationId, request.seq));
    if (!marked) throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
  }

  async messagesAfter(visitor: VisitorScope, afterSeq: number): Promise<WidgetMessagesResponse> {
    const known = await this.visitors.findVisitor(visitor.siteId, visitor.visitorUuid);
    // The latest conversation, open or just closed: an agent's last reply before closing still arrives.
    const conversation = known ? await this.visitors.findLatestForVisitor(visitor.siteId, known.id) : null;
    return {
      items: conversation
        ? await this.conversations.messagesAfter(visitor.siteId, conversation.id, afterSeq, PAGE)
        : [],
    };
  }

  /**
   * The hot path is one statement: the visitor's open conversation is found (and the cached site
   * key re-checked) inside the append. The visitor's message limit is spent first and given back
   * when the message was a retry of a stored one (an offline queue replaying never spends it).
   * The longer way, {@link sendTheLongWay}, serves the rest: a refused limit (a retry is still
   * answered), a first message, a closed conversation, a rotated key.
   */
  async send(
    visitor: VisitorScope,
    ip: string,
    request: SendMessageRequest,
  ): Promise<{ message: Message; created: boolean }> {
    const limitKey = this.keys.forClient('visitor-messages', '', visitor.siteId, visitor.visitorUuid);
    const rule = this.appConfig.rateLimits.visitorMessages;
    if (!(await this.limits.consume(limitKey, rule)).allowed)
      return this.sendTheLongWay(visitor, ip, request);
    const appended = await this.conversations
      .appendForVisitor({
        siteId: visitor.siteId,
        publicKey: visitor.publicKey,
        visitorUuid: visitor.visitorUuid,
        clientMessageId: request.id,
        body: request.body,
      })
      .catch(async (error: unknown) => {
        // A different message under a used id spends the limit, as any refused write does.
        if (!(error instanceof DomainError && error.code === 'MESSAGE_ID_CONFLICT'))
          await this.limits.refund(limitKey, rule);
        throw error;
      });
    if (!appended?.created) {
      await this.limits.refund(limitKey, rule);
      return appended ?? this.sendTheLongWay(visitor, ip, request);
    }
    this.answerInBackground(visitor, appended);
    return appended;
  }

  /**
   * One read finds the visitor, their open conversation and a stored retry (and re-checks the
   * cached site key); a conversation is opened when there is none; then the append.
   */
  private async sendTheLongWay(
    visitor: VisitorScope,
    ip: string,
    request: SendMessageRequest,
  ): Promise<{ message: Message; created: boolean }> {
    const found = await this.visitors.findWithOpenConversation(
      visitor.siteId,
      visitor.publicKey,
      visitor.visitorUuid,
      request.id,
    );
    if (!found.siteKeyValid) {
      // Rotated or deleted since this replica cached it (and the bus has not said so yet).
      this.widgetSites.forget(visitor.publicKey);
      throw new DomainError('SITE_KEY_INVALID', 'Unknown site key');
    }
    const conversation =
      found.conversation ?? (await this.openConversation(visitor, ip, { entryUrl: null, locale: null }));
    // A retry of a stored message (an offline queue replaying) is answered without spending the limit.
    const replayed = found.conversation ? found.stored : null;
    if (replayed?.author === 'visitor' && replayed.body === request.body)
      return { message: mapMessage(replayed, null), created: false };
    await this.limits.enforce(
      this.keys.forClient('visitor-messages', '', visitor.siteId, visitor.visitorUuid),
      this.appConfig.rateLimits.visitorMessages,
    );
    const appended = await this.conversations.append({
      siteId: visitor.siteId,
      conversationId: conversation.id,
      clientMessageId: request.id,
      author: 'visitor',
      body: request.body,
      visitorId: conversation.visitorId,
    });
    if (appended.created) this.answerInBackground(visitor, appended);
    return appended;
  }

  /** After the visitor's own events are out: the assistant's work is queued, never awaited here. */
  private answerInBackground(visitor: VisitorScope, appended: Appended & { created: true }): void {
    if (appended.handledByAgent) return;
    this.assistant.answerInBackground({
      site: { id: visitor.siteId, widget: visitor.widget, leadCapture: visitor.leadCapture },
      conversation: appended.conversation,
      message: appended.message,
    });
  }

  /** The visitor leaves an email: the conversation becomes a lead and asks for contact. */
  async leaveContact(visitor: VisitorScope, ip: string, email: string): Promise<WidgetConversation> {
    const conversation = await this.openConversation(visitor, ip, { entryUrl: null, locale: null });
    const updated = await this.conversations.update(visitor.siteId, conversation.id, {
      email: normalizeEmail(email),
      phase: 'requesting_contact',
      ...(conversation.leadStatus === 'none' ? { leadStatus: 'new' as const } : {}),
    });
    return mapWidgetConversation(updated);
  }

  private async openConversation(
    visitor: VisitorScope,
    ip: string,
    start: { entryUrl: string | null; locale: string | null },
  ): Promise<ConversationRecord> {
    if (!(await this.visitors.findVisitor(visitor.siteId, visitor.visitorUuid))) {
      // Only creating visitors costs: a returning visitor is never refused its own history.
      await this.limits.enforce(
        this.keys.forClient('new-visitors', ip),
        this.appConfig.rateLimits.newVisitors,
      );
    }
    const { conversation, created } = await this.openForVisitor(visitor, start).catch((error: unknown) => {
      // An erasure removed the visitor between the two steps: this browser starts again, afresh.
      if (!isForeignKeyViolation(error, 'conversations_visitor_fkey')) throw error;
      return this.openForVisitor(visitor, start);
    });
    if (created) await this.conversations.announceOpened(conversation);
    return conversation;
  }

  private async openForVisitor(
    visitor: VisitorScope,
    start: { entryUrl: string | null; locale: string | null },
  ) {
    const known = await this.visitors.upsertVisitor(visitor.siteId, visitor.visitorUuid);
    return this.conversations.openForVisitor(visitor.siteId, known.id, start);
  }

  private async latestMessages(conversation: ConversationRecord): Promise<Message[]> {
    return this.conversations.messagesAfter(
      conversation.siteId,
      conversation.id,
      Math.max(0, conversation.lastSeq - PAGE),
      PAGE,
    );
  }
}

/**
 * The page, not what its URL may carry: query strings and fragments of host pages hold reset
 * tokens, emails and OAuth tokens that the site's team has no business seeing.
 */
function withoutQueryOrFragment(entryUrl: string): string {
  const url = new URL(entryUrl);
  return `${url.origin}${url.pathname}`;
}
