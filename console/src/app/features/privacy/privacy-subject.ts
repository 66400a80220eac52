import type { PrivacySubjectRequest } from '@cloop/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONVERSATION_LINK =
  /\/inbox\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the admin typed in the privacy form: the one box takes any of the three. */
export type SubjectInput =
  | { kind: 'subject'; subject: PrivacySubjectRequest }
  | { kind: 'conversation'; conversationId: string }
  | { kind: 'invalid' };

/**
 * A visitor id (the widget's UUID), an email, or a conversation's link from the inbox. Anything
 * else, such as the short "Visitor fdc891" label of the inbox, is `invalid`: the page explains
 * where to find a real id instead of sending a request that can only fail.
 */
export function parseSubject(raw: string): SubjectInput {
  const value = raw.trim();
  const link = CONVERSATION_LINK.exec(value);
  if (link?.[1]) return { kind: 'conversation', conversationId: link[1].toLowerCase() };
  if (UUID.test(value)) return { kind: 'subject', subject: { visitorId: value.toLowerCase() } };
  if (EMAIL.test(value)) return { kind: 'subject', subject: { email: value } };
  return { kind: 'invalid' };
}

/** Rows in an export document (every section of `data`); 0 means nothing was found. */
export function exportedRows(document: unknown): number {
  const data = (document as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object') return 0;
  return Object.values(data as Record<string, unknown>).reduce<number>(
    (sum, rows) => sum + (Array.isArray(rows) ? rows.length : 0),
    0,
  );
}
