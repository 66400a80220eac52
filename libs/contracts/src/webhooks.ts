import type { MessageAuthor, Phase } from './conversations';
import type { PageQuery } from './pagination';

/** What a site's endpoints can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'message.created',
  'lead.captured',
  'conversation.phase_changed',
  'privacy.erased',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by `POST …/webhooks/:webhookId/test`, to that endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WEBHOOK_URL_MAX_LENGTH = 2048;
export const MAX_WEBHOOKS_PER_SITE = 10;

/** Headers of every delivery (see docs/webhooks.md). */
export const WEBHOOK_SIGNATURE_HEADER = 'Cloop-Signature';
export const WEBHOOK_EVENT_ID_HEADER = 'Cloop-Event-Id';
export const WEBHOOK_EVENT_TYPE_HEADER = 'Cloop-Event-Type';
export const WEBHOOK_DELIVERY_ID_HEADER = 'Cloop-Delivery-Id';
/** Receivers should refuse a signature whose timestamp is further than this from their clock. */
export const WEBHOOK_REPLAY_WINDOW_SECONDS = 300;

/** An endpoint as the console sees it: never its secret. */
export interface WebhookEndpoint {
  id: string;
  siteId: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** When the current signing secret was issued. */
  secretCreatedAt: string;
}

/** Create and rotate answer with the endpoint and its secret, the only time the secret is shown. */
export interface WebhookEndpointWithSecret {
  webhook: WebhookEndpoint;
  /** `whsec_…`: keep it in the receiver's configuration; Cloop shows it once. */
  secret: string;
}

export interface CreateWebhookRequest {
  url: string;
  events: WebhookEventType[];
  /** `true` unless given. */
  enabled?: boolean;
}

export type UpdateWebhookRequest = Partial<CreateWebhookRequest>;

/**
 * `pending`: waiting for its first attempt or a retry; `succeeded`: a 2xx answer; `failed`: every
 * attempt failed (or it was abandoned).
 */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One attempt: the receiver's status code, or why there was none. */
export interface WebhookAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** One event on its way to one endpoint. The payload is not shown: it holds visitors' data. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType | typeof WEBHOOK_TEST_EVENT;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt is due; `null` once succeeded or failed. */
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  /** Every attempt so far, oldest first (the last 20). */
  attemptLog: WebhookAttempt[];
  createdAt: string;
  updatedAt: string;
}

export type WebhookDeliveryListQuery = PageQuery;

export interface WebhookTestResponse {
  /** The queued `webhook.test` event; its delivery shows in the endpoint's log. */
  eventId: string;
}

/** The body of every delivery. Receivers deduplicate by `id`: an event may arrive more than once. */
export interface WebhookEvent<
  Type extends string = WebhookEventType | typeof WEBHOOK_TEST_EVENT,
  Data = unknown,
> {
  id: string;
  type: Type;
  /** When the event happened (not when it was sent). */
  createdAt: string;
  siteId: string;
  data: Data;
}

export interface ConversationCreatedData {
  conversation: {
    id: string;
    phase: Phase;
    /** The page the chat started on, without query string or fragment. */
    entryUrl: string | null;
    locale: string | null;
    createdAt: string;
  };
}

export interface MessageCreatedData {
  conversationId: string;
  message: {
    id: string;
    seq: number;
    author: MessageAuthor;
    body: string;
    createdAt: string;
  };
}

export interface LeadCapturedData {
  conversationId: string;
  email: string;
  phase: Phase;
}

export interface ConversationPhaseChangedData {
  conversationId: string;
  from: Phase;
  to: Phase;
}

/** No personal data: the ids of the conversations that are gone, so a receiver can drop its copies. */
export interface PrivacyErasedData {
  requestId: string;
  conversationIds: string[];
}
