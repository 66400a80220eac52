import { randomUUID } from 'node:crypto';

import type {
  ConversationCreatedData,
  ConversationPhaseChangedData,
  LeadCapturedData,
  MessageAuthor,
  Phase,
  PrivacyErasedData,
  WebhookEventType,
} from '@cloop/contracts';
import { WEBHOOK_TEST_EVENT } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { Tx } from '../database/transactions';
import { WebhooksRepository } from './webhooks.repository';

export const DELIVERY_LOG_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The conversation fields events need (a conversation row has them all). */
export interface ConversationFacts {
  id: string;
  siteId: string;
  visitorId: string;
  phase: Phase;
  email: string | null;
  entryUrl: string | null;
  locale: string | null;
  createdAt: Date;
}

export interface MessageFacts {
  id: string;
  seq: number;
  author: MessageAuthor;
  body: string;
  createdAt: Date;
}

/**
 * The transactional outbox: each method queues an event in the caller's transaction, so it is sent
 * exactly when the change commits, and only by the process that made the change (events arriving
 * from other replicas over Redis are never turned into deliveries). Payloads carry only what a
 * receiver needs: no visitor UUID, no names, no IP addresses. `message.created` (and the phase
 * change a message causes) is queued by the append statement itself, in
 * `conversations/message-append.repository.ts`, with the same payloads.
 */
@Injectable()
export class WebhookOutbox {
  constructor(private readonly webhooks: WebhooksRepository) {}

  conversationCreated(tx: Tx, conversation: ConversationFacts): Promise<number> {
    const data: ConversationCreatedData = {
      conversation: {
        id: conversation.id,
        phase: conversation.phase,
        entryUrl: conversation.entryUrl,
        locale: conversation.locale,
        createdAt: conversation.createdAt.toISOString(),
      },
    };
    return this.queue(tx, 'conversation.created', conversation, data);
  }

  /** A conversation changed: phase changes and a newly left email become events. */
  async conversationChanged(
    tx: Tx,
    before: ConversationFacts,
    changes: { phase?: Phase; email?: string | null },
  ): Promise<void> {
    if (changes.phase !== undefined && changes.phase !== before.phase) {
      await this.phaseChanged(tx, before, before.phase, changes.phase);
    }
    if (changes.email && changes.email !== before.email) {
      const data: LeadCapturedData = {
        conversationId: before.id,
        email: changes.email,
        phase: changes.phase ?? before.phase,
      };
      await this.queue(tx, 'lead.captured', before, data);
    }
  }

  phaseChanged(tx: Tx, conversation: ConversationFacts, from: Phase, to: Phase): Promise<number> {
    const data: ConversationPhaseChangedData = { conversationId: conversation.id, from, to };
    return this.queue(tx, 'conversation.phase_changed', conversation, data);
  }

  /** After the erasure's deletes, in its transaction: ids only, nothing about the person. */
  privacyErased(tx: Tx, siteId: string, data: PrivacyErasedData): Promise<number> {
    return this.webhooks.enqueue(tx, {
      siteId,
      eventId: randomUUID(),
      eventType: 'privacy.erased',
      visitorId: null,
      conversationId: null,
      payload: data,
      createdAt: new Date(),
    });
  }

  /** A test event for one endpoint, whatever it subscribes to; returns the event id. */
  async test(tx: Tx, siteId: string, endpointId: string): Promise<string> {
    const eventId = randomUUID();
    await this.webhooks.enqueue(
      tx,
      {
        siteId,
        eventId,
        eventType: WEBHOOK_TEST_EVENT,
        visitorId: null,
        conversationId: null,
        payload: { message: 'A test delivery from Cloop: the endpoint is reachable.' },
        createdAt: new Date(),
      },
      endpointId,
    );
    return eventId;
  }

  /** The delivery log is for debugging, not an archive: retention drops rows after 30 days. */
  pruneDeliveries(now: Date): Promise<number> {
    return this.webhooks.deleteDeliveriesBefore(new Date(now.getTime() - DELIVERY_LOG_DAYS * DAY_MS));
  }

  private queue(
    tx: Tx,
    type: WebhookEventType,
    conversation: ConversationFacts,
    data: object,
  ): Promise<number> {
    return this.webhooks.enqueue(tx, {
      siteId: conversation.siteId,
      eventId: randomUUID(),
      eventType: type,
      visitorId: conversation.visitorId,
      conversationId: conversation.id,
      payload: data,
      createdAt: new Date(),
    });
  }
}
