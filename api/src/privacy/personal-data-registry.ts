/**
 * The one registry of personal data: every table that holds data about a person, and how the rows
 * of one subject are found in it. Export and erasure are driven from here, and a test compares it
 * with the database catalogue, so a new table with a visitor, email or user column cannot be
 * forgotten.
 *
 * Two kinds of subject:
 * - `visitor`: the visitor records of one site, found by visitor UUID or by the email left in a
 *   conversation. Selectors take `$1` = site id, `$2` = the visitor record ids (uuid[]), `$3` = the
 *   conversation ids (uuid[]; resolved first, so message batches walk the index in order): all of
 *   the visitors' conversations, except in an export by email, which holds only the conversations
 *   where that email was left (a shared browser must not disclose someone else's chats).
 * - `user`: a console account. Selectors take `$1` = user id.
 */
export type RegistrySubject = 'visitor' | 'user';

/**
 * The selectors' parameters with their types. Every query names them all, so a selector that
 * uses only some of them still gets typed parameters.
 */
export const SUBJECT_PARAMETERS: Record<RegistrySubject, string> = {
  visitor: '$1::uuid AS site_id, $2::uuid[] AS visitor_ids, $3::uuid[] AS conversation_ids',
  user: '$1::uuid AS user_id',
};

export type Erasure =
  | { kind: 'delete' }
  /** The row belongs to someone else (a visitor's transcript, an organization's ledger): drop the link. */
  | { kind: 'unlink'; column: string }
  | { kind: 'retain'; reason: string };

export interface PersonalDataEntry {
  table: string;
  subject: RegistrySubject;
  /** The columns that identify or describe the person, as the catalogue names them. */
  columns: string[];
  /** SQL condition selecting the subject's rows. */
  where: string;
  /** What the export shows; `null` when these rows are not the subject's data to receive. */
  exported: string[] | null;
  /** Export order, also the keyset of its batches: unique, and part of `exported`. */
  orderBy: string[];
  /**
   * For rows that belong to a conversation (visitor subjects; `orderBy` starts with `conversation`):
   * batches walk the subject's conversations (`$3`) a slice at a time, each slice starting at the
   * conversation the last batch stopped in. One keyset over all of `$3` made PostgreSQL re-read
   * the array's earlier conversations for every batch: 1,000 conversations × 100 messages took
   * minutes.
   */
  walk?: { conversation: string };
  /**
   * Visitor subjects: what the site-wide export shows of every visitor's rows (`null`: not
   * exported). Unlike `exported`, it links rows to their visitor, and leaves out bearer secrets.
   */
  siteExported?: string[] | null;
  erasure: Erasure;
}

/** Listed in erasure order: rows that point at others go before the rows they point at. */
export const PERSONAL_DATA_REGISTRY: readonly PersonalDataEntry[] = [
  {
    // Events on their way to the site's own systems (and the log of those sent): copies of the
    // conversations and messages exported below, so not exported twice. Erasure deletes them, sent
    // or not: a queued delivery is never sent, and the log keeps no payload about the person.
    table: 'webhook_deliveries',
    subject: 'visitor',
    columns: ['visitor_id', 'conversation_id', 'payload'],
    where: `site_id = $1 AND (visitor_id = ANY($2) OR conversation_id = ANY($3))`,
    exported: null,
    orderBy: ['created_at', 'id'],
    siteExported: null,
    erasure: { kind: 'delete' },
  },
  {
    table: 'messages',
    subject: 'visitor',
    columns: ['body'],
    where: `site_id = $1 AND conversation_id = ANY($3)`,
    exported: ['id', 'conversation_id', 'seq', 'author', 'body', 'citations', 'confidence', 'created_at'],
    orderBy: ['conversation_id', 'seq'],
    walk: { conversation: 'conversation_id' },
    siteExported: ['id', 'conversation_id', 'seq', 'author', 'body', 'citations', 'confidence', 'created_at'],
    erasure: { kind: 'delete' },
  },
  {
    table: 'conversations',
    subject: 'visitor',
    // The preview is a copy of the latest message's start, exported with the messages themselves;
    // how far the visitor has read goes with the conversation.
    columns: ['visitor_id', 'email', 'entry_url', 'locale', 'last_message_preview', 'visitor_seen_seq'],
    where: `site_id = $1 AND id = ANY($3)`,
    exported: [
      'id',
      'phase',
      'status',
      'email',
      'lead_status',
      'entry_url',
      'locale',
      'message_count',
      'last_message_at',
      'visitor_seen_seq',
      'created_at',
    ],
    orderBy: ['created_at', 'id'],
    siteExported: [
      'id',
      'visitor_id',
      'phase',
      'status',
      'email',
      'lead_status',
      'entry_url',
      'locale',
      'message_count',
      'last_message_at',
      'visitor_seen_seq',
      'created_at',
    ],
    erasure: { kind: 'delete' },
  },
  {
    table: 'visitors',
    subject: 'visitor',
    columns: ['visitor_uuid'],
    where: `site_id = $1 AND id = ANY($2)`,
    exported: ['id', 'visitor_uuid', 'last_seen_at', 'created_at'],
    orderBy: ['created_at', 'id'],
    // The UUID is the browser's bearer secret: with the public site key it would let the file's
    // reader continue as that visitor. The team reaches one visitor's UUID per conversation.
    siteExported: ['id', 'last_seen_at', 'created_at'],
    erasure: { kind: 'delete' },
  },
  {
    table: 'messages',
    subject: 'user',
    columns: ['author_user_id'],
    where: `author_user_id = $1`,
    exported: ['id', 'conversation_id', 'site_id', 'seq', 'body', 'created_at'],
    orderBy: ['created_at', 'id'],
    // The reply is part of the visitor's transcript; it stays, no longer naming its author.
    erasure: { kind: 'unlink', column: 'author_user_id' },
  },
  {
    table: 'invitations',
    subject: 'user',
    columns: ['invited_by'],
    where: `invited_by = $1`,
    // Invitations the user sent hold other people's emails: not the user's data to receive.
    exported: null,
    orderBy: ['created_at', 'id'],
    erasure: { kind: 'unlink', column: 'invited_by' },
  },
  {
    table: 'invitations',
    subject: 'user',
    columns: ['email'],
    where: `email = (SELECT email FROM users WHERE id = $1)`,
    exported: ['id', 'organization_id', 'role', 'expires_at', 'created_at'],
    orderBy: ['created_at', 'id'],
    erasure: { kind: 'delete' },
  },
  {
    table: 'api_keys',
    subject: 'user',
    columns: ['created_by'],
    where: `created_by = $1`,
    // Never the hash: it is a credential of the organization, not data about the person.
    exported: [
      'id',
      'organization_id',
      'name',
      'prefix',
      'scopes',
      'expires_at',
      'last_used_at',
      'revoked_at',
      'created_at',
    ],
    orderBy: ['created_at', 'id'],
    // The organization's key stays listed; without a creator it is refused at once.
    erasure: { kind: 'unlink', column: 'created_by' },
  },
  {
    table: 'privacy_requests',
    subject: 'user',
    columns: ['actor_user_id'],
    where: `actor_user_id = $1`,
    exported: [
      'id',
      'site_id',
      'kind',
      'subject_kind',
      'received_at',
      'due_at',
      'completed_at',
      'created_at',
    ],
    orderBy: ['created_at', 'id'],
    // The organization must keep proof of how it answered requests; the hashes name nobody.
    erasure: { kind: 'unlink', column: 'actor_user_id' },
  },
  {
    table: 'audit_events',
    subject: 'user',
    columns: ['actor_user_id'],
    where: `actor_user_id = $1 OR (target_type = 'user' AND target_id = $1::text)`,
    exported: ['id', 'organization_id', 'seq', 'action', 'target_type', 'target_id', 'details', 'created_at'],
    orderBy: ['organization_id', 'seq'],
    erasure: {
      kind: 'retain',
      reason:
        'Security and accountability record (GDPR Art. 17(3)(b) and (e)): append-only, holds account ids and counts only',
    },
  },
  {
    table: 'password_resets',
    subject: 'user',
    columns: ['user_id'],
    where: `user_id = $1`,
    // Only hashes of single-use links; the times show when a reset was asked for and used.
    exported: ['id', 'expires_at', 'used_at', 'created_at'],
    orderBy: ['created_at', 'id'],
    erasure: { kind: 'delete' },
  },
  {
    table: 'refresh_tokens',
    subject: 'user',
    columns: ['user_id'],
    where: `user_id = $1`,
    exported: ['id', 'family_id', 'expires_at', 'used_at', 'revoked_at', 'created_at'],
    orderBy: ['created_at', 'id'],
    erasure: { kind: 'delete' },
  },
  {
    table: 'sso_sessions',
    subject: 'user',
    columns: ['user_id'],
    where: `user_id = $1`,
    // Never the provider's refresh token (sealed): a credential, not data about the person.
    exported: ['family_id', 'organization_id', 'checked_at'],
    orderBy: ['checked_at', 'family_id'],
    erasure: { kind: 'delete' },
  },
  {
    table: 'memberships',
    subject: 'user',
    columns: ['user_id'],
    where: `user_id = $1`,
    exported: ['organization_id', 'role', 'created_at'],
    orderBy: ['organization_id'],
    erasure: { kind: 'delete' },
  },
  {
    table: 'users',
    subject: 'user',
    columns: ['email', 'name', 'password_hash', 'email_verified_at', 'locale', 'lead_notifications'],
    where: `id = $1`,
    exported: [
      'id',
      'email',
      'name',
      'email_verified_at',
      'locale',
      'lead_notifications',
      'created_at',
      'updated_at',
    ],
    orderBy: ['id'],
    erasure: { kind: 'delete' },
  },
];

export function registryFor(subject: RegistrySubject): PersonalDataEntry[] {
  return PERSONAL_DATA_REGISTRY.filter((entry) => entry.subject === subject);
}

/** The site-wide export's sections, in document order: visitors, conversations, messages. */
export function siteExportedEntries(): (PersonalDataEntry & { siteExported: string[] })[] {
  return exportedEntries('visitor').filter((entry): entry is PersonalDataEntry & { siteExported: string[] } =>
    Array.isArray(entry.siteExported),
  );
}

/** The export's sections for a subject, in document order (each table once). */
export function exportedEntries(subject: RegistrySubject): PersonalDataEntry[] {
  return registryFor(subject)
    .filter((entry) => entry.exported !== null)
    .reverse();
}
