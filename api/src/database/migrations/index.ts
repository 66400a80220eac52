import { AccountsOrganizationsSites1764403200000 } from './1764403200000-accounts-organizations-sites';
import { Conversations1764489600000 } from './1764489600000-conversations';
import { PrivacyAudit1764576000000 } from './1764576000000-privacy-audit';
import { Knowledge1764662400000 } from './1764662400000-knowledge';
import { Webhooks1764748800000 } from './1764748800000-webhooks';
import { ScheduledJobs1764752400000 } from './1764752400000-scheduled-jobs';
import { CrawlClaims1764756000000 } from './1764756000000-crawl-claims';
import { ConversationLastMessage1764759600000 } from './1764759600000-conversation-last-message';
import { AuditKeyedHashes1764770000000 } from './1764770000000-audit-keyed-hashes';
import { KnowledgeRanking1764900000000 } from './1764900000000-knowledge-ranking';
import { WidgetSeenLanguages1764910000000 } from './1764910000000-widget-seen-languages';
import { TeamSeen1764920000000 } from './1764920000000-team-seen';
import { PrivacyAtScale1764930000000 } from './1764930000000-privacy-at-scale';
import { ApiKeys1764940000000 } from './1764940000000-api-keys';
import { CompoundWords1764945000000 } from './1764945000000-compound-words';
import { InboxFilters1764950000000 } from './1764950000000-inbox-filters';
import { Mail1764960000000 } from './1764960000000-mail';
import { MailOutbox1764980000000 } from './1764980000000-mail-outbox';
import { Sso1764990000000 } from './1764990000000-sso';

/** In order. Listed explicitly so the compiled app needs no file globbing to find them. */
export const MIGRATIONS = [
  AccountsOrganizationsSites1764403200000,
  Conversations1764489600000,
  PrivacyAudit1764576000000,
  Knowledge1764662400000,
  Webhooks1764748800000,
  ScheduledJobs1764752400000,
  CrawlClaims1764756000000,
  ConversationLastMessage1764759600000,
  AuditKeyedHashes1764770000000,
  KnowledgeRanking1764900000000,
  WidgetSeenLanguages1764910000000,
  TeamSeen1764920000000,
  PrivacyAtScale1764930000000,
  ApiKeys1764940000000,
  CompoundWords1764945000000,
  InboxFilters1764950000000,
  Mail1764960000000,
  MailOutbox1764980000000,
  Sso1764990000000,
];
