import { randomUUID } from 'node:crypto';

import type { Message, WidgetSettings } from '@cloop/contracts';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import type { ConversationRecord } from '../conversations/conversation-record';
import { ConversationsService } from '../conversations/conversations.service';
import { EventBus } from '../events/event-bus';
import { AnswerQueue } from './answer-queue';
import { Responder } from './responder';

const HISTORY_LENGTH = 20;

export interface AnswerRequest {
  site: { id: string; widget: WidgetSettings; leadCapture: boolean };
  conversation: ConversationRecord;
  message: Message;
}

/**
 * Runs the responder after each new visitor message, off the request path, through a bounded
 * queue: deltas stream out as `message.delta` events, then the whole answer is stored as an
 * assistant message. When the queue is full the answer is declined (counted and logged): the
 * visitor's message is stored and announced all the same, and a person can answer from the inbox.
 */
@Injectable()
export class AssistantService implements BeforeApplicationShutdown {
  private readonly queue: AnswerQueue;

  constructor(
    private readonly responder: Responder,
    private readonly conversations: ConversationsService,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) config: ResolvedConfig,
  ) {
    this.queue = new AnswerQueue(config.runtime.answerQueue);
  }

  /**
   * Queues the answer and returns at once (`false`: declined, the queue is full); failures are
   * logged, never thrown at the visitor.
   */
  answerInBackground(request: AnswerRequest): boolean {
    return this.queue.offer(async () => {
      await this.answer(request);
    });
  }

  /** Answers declined because the queue was full, since start. */
  get declinedAnswers(): number {
    return this.queue.declinedCount;
  }

  /** Lets queued answers and those in progress finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.idle();
  }

  async answer({ site, conversation, message }: AnswerRequest): Promise<Message> {
    const history = await this.conversations.messagesAfter(
      conversation.siteId,
      conversation.id,
      Math.max(0, message.seq - HISTORY_LENGTH),
      HISTORY_LENGTH,
    );
    const streamId = randomUUID();
    const { siteId, id: conversationId } = conversation;
    let body = '';
    for await (const chunk of this.responder.respond({
      site,
      conversation: {
        phase: conversation.phase,
        locale: conversation.locale,
        hasEmail: conversation.email !== null,
      },
      history,
      message,
    })) {
      if (chunk.type === 'delta') {
        body += chunk.text;
        await this.bus.publish(
          { type: 'message.delta', siteId, conversationId, streamId, delta: chunk.text },
          conversation.visitorId,
        );
        continue;
      }
      const stored = await this.conversations.append({
        siteId,
        conversationId,
        clientMessageId: streamId,
        author: 'assistant',
        body: body.trim(),
        citations: chunk.citations,
        confidence: chunk.confidence,
      });
      if (chunk.fromKnowledge) await this.conversations.markLearning(siteId, conversationId);
      return stored.message;
    }
    throw new Error('responder ended without a done chunk');
  }
}
