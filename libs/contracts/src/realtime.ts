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
  | { type: 'typing'; siteId: string; conversationId: string; author: MessageAuthor };

export type RealtimeEventType = RealtimeEvent['type'];

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
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string }
  | RealtimeEvent;

export const REALTIME_PATH = '/api/v1/realtime';
