import type { Citation, Message, MessageAuthor } from '@cloop/contracts';
import { Injectable, Logger } from '@nestjs/common';

import type { Principal, SiteScope } from '../access/access-policy';
import { actorOf, AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { TransactionRunner } from '../database/transactions';
import { LeadNotifications } from '../mail/lead-notifications';
import { isUniqueViolation } from '../database/constraint-violations';
import { type BusEvent, EventBus } from '../events/event-bus';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { asksForContact } from './contact-request';
import type { ConversationEntity } from './conversation.entity';
import { mapConversation, mapMessage } from './conversation.mapper';
import { type ConversationChanges, ConversationsRepository } from './conversations.repository';
import {
  type AppendOutcome,
  MessageAppendRepository,
  type VisitorAppendInput,
} from './message-append.repository';
import { MessagesRepository } from './messages.repository';

export interface AppendMessage {
  siteId: string;
  conversationId: string;
  clientMessageId: string;
  author: MessageAuthor;
  authorUserId?: string | null;
  body: string;
  citations?: Citation[];
  confidence?: number | null;
  /** The visitor writing (their `last_seen_at` is refreshed at most once a minute). */
  visitorId?: string | null;
}

export type Appended =
  | {
      message: Message;
      created: true;
      /** The conversation as this message left it. */
      conversation: ConversationEntity;
      /** Someone of the site's team has written in the conversation: the assistant stays out. */
      handledByAgent: boolean;
    }
  /** The client id was seen before: the message stored then, returned again. */
  | { message: Message; created: false; conversation: null; handledByAgent: false };

/**
 * Writes to conversations, shared by the widget, the inbox and the assistant; every change is an
 * event: on the realtime bus after the commit, and as webhooks queued in the change's transaction.
 */
@Injectable()
export class ConversationsService {
  private readonly logger = new Logger('Conversations');

  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly appender: MessageAppendRepository,
    private readonly transactions: TransactionRunner,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
    private readonly webhooks: WebhookOutbox,
    private readonly leads: LeadNotifications,
  ) {}

  /**
   * The visitor's open conversation, created if there is none; safe under concurrent calls, and
   * against an agent closing the conversation between the insert and the read.
   */
  async openForVisitor(
    siteId: string,
    visitorId: string,
    start: { entryUrl: string | null; locale: string | null },
  ): Promise<{ conversation: ConversationEntity; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const created = await this.transactions.run(async (tx) => {
        const inserted = await this.conversations.insertOpen(tx, siteId, visitorId, start);
        if (inserted) await this.webhooks.conversationCreated(tx, inserted);
        return inserted !== null;
      });
      const open = await this.conversations.findOpenForVisitor(siteId, visitorId);
      if (open) return { conversation: open, created };
    }
    throw new Error('could not open a conversation: it was closed three times in a row');
  }

  /**
   * Stores a message exactly once per client id and numbers it, in one statement (see
   * {@link MessageAppendRepository}): concurrent posts get consecutive `seq` values and identical
   * retries find the first one's row. The row is committed before this returns; the events go out
   * right after the commit, built from the rows the statement returned.
   */
  async append(input: AppendMessage): Promise<Appended> {
    const outcome = await this.appender.append({
      siteId: input.siteId,
      conversationId: input.conversationId,
      clientMessageId: input.clientMessageId,
      author: input.author,
      authorUserId: input.authorUserId ?? null,
      body: input.body,
      citations: input.citations ?? [],
      confidence: input.confidence ?? null,
      wantsContact: input.author === 'visitor' && asksForContact(input.body),
      visitorId: input.visitorId ?? null,
    });
    if (!outcome) throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
    return this.settle(outcome, input);
  }

  /**
   * {@link append} of a visitor's message to their open conversation, found by the browser's
   * visitor uuid in the same statement (the widget's hot path: one round trip). `null`: the
   * site's key changed or the visitor has no open conversation; nothing was stored.
   */
  async appendForVisitor(input: Omit<VisitorAppendInput, 'wantsContact'>): Promise<Appended | null> {
    const outcome = await this.appender.appendForVisitor({
      ...input,
      wantsContact: asksForContact(input.body),
    });
    return outcome && this.settle(outcome, { author: 'visitor', body: input.body, siteId: input.siteId });
  }

  /** What follows a stored append: a retry compared, the events out, the lead noticed. */
  private async settle(
    outcome: NonNullable<AppendOutcome>,
    input: Pick<AppendMessage, 'author' | 'body' | 'siteId'>,
  ): Promise<Appended> {
    const message = mapMessage(outcome.message, outcome.message.authorName);
    if (!outcome.created) {
      const stored = outcome.message;
      if (stored.body !== input.body || stored.author !== input.author) {
        throw new DomainError(
          'MESSAGE_ID_CONFLICT',
          'This message id was already used for a different message',
        );
      }
      return { message, created: false, conversation: null, handledByAgent: false };
    }
    const { conversation } = outcome;
    if (outcome.phaseChanged && conversation.phase === 'requesting_contact') {
      await this.leads.leadCaptured(conversation.siteId, conversation.id, 'contact');
    }
    await this.announce(
      { type: 'message.created', siteId: input.siteId, conversationId: conversation.id, message },
      conversation.visitorId,
    );
    await this.publishUpdated(conversation);
    return { message, created: true, conversation, handledByAgent: outcome.handledByAgent };
  }

  /** Applies changes and announces them; a no-op change announces nothing. */
  async update(
    siteId: string,
    conversationId: string,
    changes: ConversationChanges,
  ): Promise<ConversationEntity> {
    let changed: ConversationChanges | null;
    try {
      changed = await this.transactions.run(async (tx) => {
        const before = await this.conversations.lockInSite(tx, siteId, conversationId);
        if (!before) throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
        const effective = Object.fromEntries(
          Object.entries(changes).filter(
            ([key, value]) => before[key as keyof ConversationChanges] !== value,
          ),
        ) as ConversationChanges;
        if (Object.keys(effective).length === 0) return null;
        await this.conversations.update(tx, siteId, conversationId, effective);
        await this.webhooks.conversationChanged(tx, before, effective);
        return effective;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'conversations_one_open_per_visitor')) {
        throw new DomainError(
          'CONVERSATION_ALREADY_OPEN',
          'The visitor already has another open conversation; close that one first',
        );
      }
      throw error;
    }
    const after = await this.require(siteId, conversationId);
    if (changed) {
      await this.publishUpdated(after);
      // A visitor who leaves an address is a lead (an address only removed or kept is not).
      if (changed.email) await this.leads.leadCaptured(after.siteId, after.id, 'email');
    }
    return after;
  }

  /** The team deletes one conversation with its messages; the audit trail keeps that it happened. */
  async delete(scope: SiteScope, actor: Principal, conversationId: string): Promise<void> {
    const { siteId } = scope;
    const { visitorId, messageCount } = await this.require(siteId, conversationId);
    await this.transactions.run(async (tx) => {
      if (!(await this.conversations.delete(tx, siteId, conversationId))) {
        throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
      }
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: actorOf(actor),
        action: 'conversation.deleted',
        target: { type: 'conversation', id: conversationId },
        details: { siteId, messages: messageCount },
      });
    });
    await this.announce({ type: 'conversation.deleted', siteId, conversationId }, visitorId);
  }

  /** After an erasure: live inboxes drop the conversation. */
  announceDeleted(siteId: string, conversationId: string, visitorId: string): Promise<void> {
    return this.announce({ type: 'conversation.deleted', siteId, conversationId }, visitorId);
  }

  /** After an erasure: the visitor's open widgets forget their visitor id and start fresh. */
  announceErased(siteId: string, visitorId: string): Promise<void> {
    return this.announce({ type: 'visitor.erased', siteId }, visitorId);
  }

  /** A new conversation shows up in live inboxes before its first message. */
  announceOpened(conversation: ConversationEntity): Promise<void> {
    return this.publishUpdated(conversation);
  }

  /** `exploring` → `learning` once the assistant has answered from the site's content. */
  async markLearning(siteId: string, conversationId: string): Promise<void> {
    const advanced = await this.transactions.run(async (tx) => {
      if (!(await this.conversations.advancePhase(tx, siteId, conversationId, 'exploring', 'learning'))) {
        return false;
      }
      const conversation = await this.conversations.findInSite(siteId, conversationId, tx);
      if (conversation) await this.webhooks.phaseChanged(tx, conversation, 'exploring', 'learning');
      return true;
    });
    if (advanced) await this.publishUpdated(await this.require(siteId, conversationId));
  }

  /**
   * The team has read the conversation up to `seq` (never backwards); the team's other inboxes are
   * told, the visitor is not (no read receipts). Returns the conversation as it now is.
   */
  async markSeenByTeam(siteId: string, conversationId: string, seq: number): Promise<ConversationEntity> {
    const moved = await this.conversations.markSeenByTeam(siteId, conversationId, seq);
    const conversation = await this.require(siteId, conversationId);
    if (moved) {
      await this.announce(
        { type: 'conversation.seen', siteId, conversationId, teamSeenSeq: conversation.teamSeenSeq },
        conversation.visitorId,
      );
    }
    return conversation;
  }

  /** Typing is announced, never stored. */
  async typing(conversation: ConversationEntity, author: MessageAuthor): Promise<void> {
    await this.announce(
      { type: 'typing', siteId: conversation.siteId, conversationId: conversation.id, author },
      conversation.visitorId,
    );
  }

  async require(siteId: string, conversationId: string): Promise<ConversationEntity> {
    const conversation = await this.conversations.findInSite(siteId, conversationId);
    if (!conversation) throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
    return conversation;
  }

  async messagesAfter(
    siteId: string,
    conversationId: string,
    afterSeq: number,
    limit: number,
  ): Promise<Message[]> {
    const rows = await this.messages.listAfter(siteId, conversationId, afterSeq, limit);
    return rows.map((row) => mapMessage(row, row.authorName));
  }

  /** The conversation and its latest messages, read in one snapshot so `lastSeq` matches them. */
  async transcript(
    siteId: string,
    conversationId: string,
    limit: number,
  ): Promise<{ conversation: ConversationEntity; messages: Message[] }> {
    return this.transactions.snapshot(async (tx) => {
      const conversation = await this.conversations.findInSite(siteId, conversationId, tx);
      if (!conversation) throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
      const rows = await this.messages.listAfter(
        siteId,
        conversation.id,
        Math.max(0, conversation.lastSeq - limit),
        limit,
        tx,
      );
      return { conversation, messages: rows.map((row) => mapMessage(row, row.authorName)) };
    });
  }

  /**
   * Publishes after the commit, best effort: the change is stored and acknowledged whatever the bus
   * does, and clients that missed the event catch up by `seq`.
   */
  private async announce(event: BusEvent, visitorId: string): Promise<void> {
    try {
      await this.bus.publish(event, visitorId);
    } catch (error) {
      this.logger.error(`could not publish ${event.type}: ${error instanceof Error ? error.name : 'error'}`);
    }
  }

  private publishUpdated(conversation: ConversationEntity): Promise<void> {
    return this.announce(
      {
        type: 'conversation.updated',
        siteId: conversation.siteId,
        conversationId: conversation.id,
        conversation: mapConversation(conversation),
      },
      conversation.visitorId,
    );
  }
}
