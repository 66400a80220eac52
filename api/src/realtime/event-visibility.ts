import type { ServerFrame } from '@cloop/contracts';

import { mapWidgetConversation } from '../conversations/conversation.mapper';
import type { BusEvent } from '../events/event-bus';
import type { Identity } from './realtime-client';

/** What of an event a client may receive: console users their sites', visitors their own, trimmed. */
export function visibleTo(identity: Identity, event: BusEvent, visitorId: string): ServerFrame | null {
  if (event.type === 'visitor.erased') {
    return identity.kind === 'visitor' && identity.siteId === event.siteId && identity.visitorId === visitorId
      ? event
      : null;
  }
  if (identity.kind === 'user') return identity.sites.has(event.siteId) ? event : null;
  if (event.siteId !== identity.siteId || visitorId !== identity.visitorId) return null;
  if (event.type === 'typing' && event.author === 'visitor') return null;
  // How far the team has read is the team's business: no read receipts for visitors.
  if (event.type === 'conversation.seen') return null;
  if (event.type === 'conversation.updated') {
    return { ...event, conversation: mapWidgetConversation(event.conversation) };
  }
  return event;
}
