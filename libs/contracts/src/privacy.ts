/**
 * Who a privacy request is about. A visitor is named by the browser's visitor UUID; `site` is a
 * site-wide export of every visitor's data.
 */
export const PRIVACY_SUBJECT_KINDS = ['visitor', 'email', 'user', 'site'] as const;
export type PrivacySubjectKind = (typeof PRIVACY_SUBJECT_KINDS)[number];

export const PRIVACY_REQUEST_KINDS = ['export', 'erase'] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];

/** Body of the team's export and erasure requests: exactly one of the two. */
export interface PrivacySubjectRequest {
  visitorId?: string;
  email?: string;
}

/** The facts GDPR Art. 15(1) asks the controller to give with a copy of the data. */
export interface PrivacyProcessingFacts {
  controller: { organization: string; site: string | null };
  purposes: string[];
  legalBasis: string;
  recipients: { name: string; purpose: string }[];
  retention: string;
  source: string;
  automatedDecisionMaking: string;
  rights: string[];
}

/**
 * A subject's data: one section per table of the personal-data registry, each holding only the
 * subject's rows (an empty array when there are none).
 */
export interface PrivacyExport {
  format: 'cloop.privacy-export.v1';
  generatedAt: string;
  subject: { kind: PrivacySubjectKind; value: string };
  processing: PrivacyProcessingFacts;
  data: Record<string, Record<string, unknown>[]>;
}

export const SITE_EXPORT_FORMAT = 'cloop.site-export.v1';

/** Query of the site-wide export: absent to start, or a `cursor` line's value to resume after it. */
export interface SiteExportQuery {
  cursor?: string;
}

/**
 * One line of the site-wide export (NDJSON). The first line is `export`; then each table's rows
 * (`visitors`, `conversations`, `messages`), each batch followed by a `cursor` line; `end` only
 * when everything was sent, so a stream cut short is recognisable. To resume, request the export
 * with the last `cursor` received and drop the rows received after it.
 */
export type SiteExportLine =
  | {
      type: 'export';
      format: typeof SITE_EXPORT_FORMAT;
      siteId: string;
      generatedAt: string;
      /** The cursor this response resumes after; `null` from the start. */
      resumedFrom: string | null;
    }
  | { type: 'row'; table: string; data: Record<string, unknown> }
  | { type: 'cursor'; cursor: string }
  | { type: 'end'; counts: Record<string, number> };

/** Rows deleted per table. */
export interface ErasureResult {
  deleted: Record<string, number>;
}

export interface PrivacyRequestActor {
  kind: 'user' | 'visitor' | 'system';
  /** The console user who made the request; `null` for visitors, the system, or a deleted user. */
  userId: string | null;
}

/** One entry of the request ledger. The subject is kept only as a keyed hash. */
export interface PrivacyRequest {
  id: string;
  siteId: string | null;
  kind: PrivacyRequestKind;
  subjectKind: PrivacySubjectKind;
  subjectHash: string;
  receivedAt: string;
  /** One month after `receivedAt` (GDPR Art. 12(3)). */
  dueAt: string;
  completedAt: string | null;
  actor: PrivacyRequestActor;
  /** Rows exported or deleted per table. */
  counts: Record<string, number>;
}

/** Deleting one's own console account needs the password again. */
export interface DeleteAccountRequest {
  password: string;
}

/**
 * Who a conversation's visitor is, for the team's privacy requests: the UUID the widget keeps in
 * the visitor's browser (the `visitorId` of an export or erasure) and the email they left, if any.
 */
export interface PrivacyConversationSubject {
  conversationId: string;
  visitorId: string;
  email: string | null;
}
