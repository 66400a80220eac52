import { randomUUID } from 'node:crypto';

import type { Message, WidgetSettings } from '@cloop/contracts';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

import type { ConversationEntity } from '../conversations/conversation.entity';
import { ConversationsService } from '../conversations/conversations.service';
import { EventBus } from '../realtime/event-bus';
import { Responder } from './responder';

const HISTORY_LENGTH = 20;

export interface AnswerRequest {
  site: { id: string; widget: WidgetSettings; leadCapture: boolean };
  conversation: ConversationEntity;
  message: Message;
}

/**
 * Runs the responder after each new visitor message, off the request path: deltas stream out as
 * `message.delta` events, then the whole answer is stored as an assistant message.
 */
@Injectable()
export class AssistantService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Assistant');
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly responder: Responder,
    private readonly conversations: ConversationsService,
    private readonly bus: EventBus,
  ) {}

  /** Starts answering and returns at once; failures are logged, never thrown at the visitor. */
  answerInBackground(request: AnswerRequest): void {
    const task = this.answer(request)
      .catch((error: unknown) =>
        this.logger.error(`answer failed: ${error instanceof Error ? error.name : 'error'}`),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Lets answers in progress finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
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
