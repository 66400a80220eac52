import type { MessageKey } from '../../core/i18n/messages.en';

/** The registry's tables in the words an admin uses (the ledger's counts are per table). */
const TABLE_KEYS: Record<string, MessageKey> = {
  visitors: 'privacy.table.visitors',
  conversations: 'privacy.table.conversations',
  messages: 'privacy.table.messages',
  users: 'privacy.table.users',
  memberships: 'privacy.table.memberships',
  refresh_tokens: 'privacy.table.refresh_tokens',
  invitations: 'privacy.table.invitations',
  privacy_requests: 'privacy.table.privacy_requests',
  audit_events: 'privacy.table.audit_events',
};

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** "4 messages, 1 visitor" rather than "messages: 4, visitors: 1"; empty tables are left out. */
export function countsLabel(counts: Record<string, number>, t: Translate): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => {
      const key = TABLE_KEYS[table];
      return key ? t(key, { count: n }) : `${table.replaceAll('_', ' ')}: ${n}`;
    })
    .join(', ');
}
