import type { PageQuery } from './pagination';
import type { WidgetSettings } from './sites';

/** `exploring` → `learning` (the assistant answered from the site's content) → `requesting_contact`. */
export const PHASES = ['exploring', 'learning', 'requesting_contact'] as const;
export type Phase = (typeof PHASES)[number];

export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** `none` until the visitor leaves an email; then the team moves it along. */
export const LEAD_STATUSES = ['none', 'new', 'contacted', 'qualified', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const MESSAGE_AUTHORS = ['visitor', 'assistant', 'agent'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

export const MESSAGE_BODY_MAX_LENGTH = 4000;
/** How much of the latest message a conversation keeps as its preview. */
export const MESSAGE_PREVIEW_LENGTH = 200;
export const ENTRY_URL_MAX_LENGTH = 2048;

/** A source the assistant used; `url` is http(s) or absent. */
export interface Citation {
  title: string;
  url: string | null;
}

export interface Message {
  id: string;
  conversationId: string;
  /** Per conversation, server-assigned, gap-free: 1, 2, 3… */
  seq: number;
  /** The sender's idempotency key. */
  clientMessageId: string;
  author: MessageAuthor;
  /** The agent's display name for agent messages; otherwise `null`. */
  authorName: string | null;
  /** Plain text; render it as text, never as HTML. */
  body: string;
  citations: Citation[];
  /** 0–1 for assistant answers; otherwise `null`. */
  confidence: number | null;
  createdAt: string;
}

/** A conversation as the site's team sees it. */
export interface Conversation {
  id: string;
  siteId: string;
  /** The visitor's record id (not the browser's secret visitor UUID). */
  visitorId: string;
  phase: Phase;
  status: ConversationStatus;
  email: string | null;
  leadStatus: LeadStatus;
  entryUrl: string | null;
  locale: string | null;
  messageCount: number;
  lastSeq: number;
  lastMessageAt: string;
  /** The start of the latest message (`MESSAGE_PREVIEW_LENGTH` characters); `null` before the first message. */
  lastMessagePreview: string | null;
  /** Who wrote the latest message; `null` before the first message. */
  lastMessageAuthor: MessageAuthor | null;
  /**
   * How far the site's team has read, one position shared by the whole team: the conversation is
   * unread while `lastSeq > teamSeenSeq` (see {@link isUnread}). Opening the conversation
   * (`PUT …/seen`) and replying as an agent move it forward; it never moves back.
   */
  teamSeenSeq: number;
  createdAt: string;
}

/** Unread for the team: a message arrived after what the team has seen. */
export function isUnread(conversation: Pick<Conversation, 'lastSeq' | 'teamSeenSeq'>): boolean {
  return conversation.lastSeq > conversation.teamSeenSeq;
}

/** `PUT /sites/{siteId}/conversations/{id}/seen`: the team has read up to `seq` (never moves back). */
export interface ConversationSeenRequest {
  seq: number;
}

/** Inbox filters; `lead=true` keeps conversations with an email. */
export interface ConversationListQuery extends PageQuery {
  phase?: Phase;
  lead?: boolean;
  /** Words searched in the messages. */
  q?: string;
  /** ISO date-times bounding the last activity. */
  from?: string;
  to?: string;
}

export interface UpdateConversationRequest {
  phase?: Phase;
  status?: ConversationStatus;
  leadStatus?: LeadStatus;
}

export interface SendMessageRequest {
  /** A uuid the client generates once per message; sending it again returns the same message. */
  id: string;
  body: string;
}

export interface Transcript {
  conversation: Conversation;
  messages: Message[];
}

/** What the widget may know of its own conversation. */
export interface WidgetConversation {
  id: string;
  phase: Phase;
  status: ConversationStatus;
  email: string | null;
  lastSeq: number;
}

/** Public settings: enough to draw the launcher before anyone is identified. */
export interface WidgetConfig {
  widget: WidgetSettings;
  leadCapture: boolean;
}

export interface WidgetSessionRequest {
  entryUrl: string;
  locale?: string;
}

export interface WidgetSessionResponse {
  conversation: WidgetConversation;
  messages: Message[];
  config: WidgetConfig;
  /**
   * The highest `seq` of this conversation the visitor has seen (kept by the server, so the
   * widget's unread badge survives page loads without any browser storage).
   */
  seenSeq: number;
}

/** `PUT /widget/seen`: the visitor has seen the conversation up to `seq` (never moves back). */
export interface WidgetSeenRequest {
  conversationId: string;
  seq: number;
}

/**
 * `GET /widget/unread`: what a returning visitor has not read yet, for the closed launcher's badge
 * and preview. Read-only: it creates no visitor and no conversation, so an unknown visitor (or one
 * without an open conversation) gets `{ count: 0, latest: null }`.
 */
export interface WidgetUnreadResponse {
  /** Replies (assistant or team) in the visitor's open conversation after the `seq` they have seen. */
  count: number;
  /** The latest of them; `null` when nothing is unread. */
  latest: WidgetUnreadReply | null;
}

/** The latest unread reply, as much of it as the launcher's preview shows. */
export interface WidgetUnreadReply {
  conversationId: string;
  seq: number;
  author: Exclude<MessageAuthor, 'visitor'>;
  /** The agent's display name for agent messages; otherwise `null`. */
  authorName: string | null;
  /** The start of the message (`MESSAGE_PREVIEW_LENGTH` characters); plain text, never HTML. */
  body: string;
}

export interface WidgetMessagesResponse {
  items: Message[];
}

export interface WidgetContactRequest {
  email: string;
}
