import type { Conversation, Message, MessageAuthor, WidgetConversation } from './conversations';

/** Events pushed to clients; every one names its site and conversation. */
export type RealtimeEvent =
  | { type: 'message.created'; siteId: string; conversationId: string; message: Message }
  | {
      type: 'message.delta';
      siteId: string;
      conversationId: string;
      /** Identifies one streamed answer; the stored message arrives as `message.created`. */
      streamId: string;
      delta: string;
    }
  | {
      type: 'conversation.updated';
      siteId: string;
      conversationId: string;
      /** The team's view; visitors receive `WidgetConversation`. */
      conversation: Conversation | WidgetConversation;
    }
  | { type: 'conversation.deleted'; siteId: string; conversationId: string }
  /** The team has read the conversation up to `teamSeenSeq` (sent to the team only, never to the visitor). */
  | { type: 'conversation.seen'; siteId: string; conversationId: string; teamSeenSeq: number }
  | { type: 'typing'; siteId: string; conversationId: string; author: MessageAuthor };

/** Client → server frames. `auth` must come first. */
export type ClientFrame =
  | { type: 'auth'; accessToken: string }
  | { type: 'auth'; siteKey: string; visitorId: string }
  | { type: 'subscribe'; siteId: string }
  | { type: 'resume'; conversationId: string; afterSeq: number }
  | { type: 'typing'; conversationId: string }
  | { type: 'ping' };

/** Server → client frames. */
export type ServerFrame =
  | { type: 'ready' }
  /** The console's subscription to a site is active: its events follow. */
  | { type: 'subscribed'; siteId: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string }
  /**
   * Sent to a visitor's sockets when their data has been erased, just before the server closes
   * them: the widget forgets its visitor UUID and starts fresh as a new anonymous visitor.
   */
  | { type: 'visitor.erased'; siteId: string }
  /**
   * Events may have been missed (the replicas lost touch for a while): the widget resumes its
   * conversation from its last `seq`, the console reloads what it shows, as after a reconnect.
   */
  | { type: 'resync' }
  | RealtimeEvent;

/** What a visitor's socket can receive: the team's own events (its read position) never reach it. */
export type VisitorServerFrame = Exclude<ServerFrame, { type: 'conversation.seen' }>;

export const REALTIME_PATH = '/api/v1/realtime';

/** Close codes of the realtime socket. Clients reconnect on any code but `erased` (and refresh their token on `unauthenticated`). */
export const REALTIME_CLOSE_CODES = {
  /** Standard "service restart": the replica is shutting down; reconnect (the load balancer picks another). */
  restart: 1012,
  badFrame: 4400,
  unauthenticated: 4401,
  authTimeout: 4408,
  /** The visitor's data was erased; do not reconnect with the old visitor UUID. */
  erased: 4410,
} as const;
