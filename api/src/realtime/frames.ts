import type { ClientFrame } from '@cloop/contracts';
import type { RawData } from 'ws';

import { MAX_SEQ } from '../conversations/seq';

/** The frame a client sent, or `null` if it is not one we know (never throws on hostile input). */
export function parseClientFrame(data: RawData): ClientFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(rawText(data));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  const text = (key: string, max = 4096) =>
    typeof frame[key] === 'string' && frame[key].length <= max ? frame[key] : null;
  switch (frame['type']) {
    case 'auth': {
      const accessToken = text('accessToken');
      if (accessToken) return { type: 'auth', accessToken };
      const siteKey = text('siteKey', 100);
      const visitorId = text('visitorId', 100);
      return siteKey && visitorId ? { type: 'auth', siteKey, visitorId } : null;
    }
    case 'subscribe': {
      const siteId = text('siteId', 100);
      return siteId ? { type: 'subscribe', siteId } : null;
    }
    case 'resume': {
      const conversationId = text('conversationId', 100);
      const afterSeq = frame['afterSeq'];
      return conversationId &&
        Number.isInteger(afterSeq) &&
        (afterSeq as number) >= 0 &&
        (afterSeq as number) <= MAX_SEQ
        ? { type: 'resume', conversationId, afterSeq: afterSeq as number }
        : null;
    }
    case 'typing': {
      const conversationId = text('conversationId', 100);
      return conversationId ? { type: 'typing', conversationId } : null;
    }
    case 'ping':
      return { type: 'ping' };
    default:
      return null;
  }
}

/** `ws` hands over a Buffer, an ArrayBuffer or a list of Buffer fragments. */
function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
