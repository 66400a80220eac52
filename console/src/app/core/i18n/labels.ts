import type {
  AuditAction,
  AuditActorKind,
  KnowledgeDocumentStatus,
  KnowledgeSourceStatus,
  KnowledgeSourceType,
  LeadStatus,
  MessageAuthor,
  Phase,
  PrivacyRequestKind,
  Role,
} from '@cloop/contracts';

import type { MessageKey } from './messages.en';

/** Typed keys for enum values: a new value without a translation is a compile error. */
export const phaseKey = (phase: Phase): MessageKey => `phase.${phase}` as const;
export const leadKey = (lead: LeadStatus): MessageKey => `lead.${lead}` as const;
export const roleKey = (role: Role): MessageKey => `role.${role}` as const;
export const requestKindKey = (kind: PrivacyRequestKind): MessageKey => `privacy.kind.${kind}` as const;
export const authorKey = (author: MessageAuthor): MessageKey => `inbox.${author}` as const;
export const lastAuthorKey = (author: MessageAuthor): MessageKey => `inbox.lastBy.${author}` as const;
export const auditActionKey = (action: AuditAction): MessageKey => `audit.action.${action}` as const;
export const auditActorKey = (kind: AuditActorKind): MessageKey => `audit.actor.${kind}` as const;
export const sourceTypeKey = (type: KnowledgeSourceType): MessageKey => `knowledge.type.${type}` as const;
export const sourceStatusKey = (status: KnowledgeSourceStatus): MessageKey =>
  `knowledge.status.${status}` as const;
export const documentStatusKey = (status: KnowledgeDocumentStatus): MessageKey =>
  `knowledge.doc.${status}` as const;

const AUDIT_TARGETS = [
  'api_key',
  'conversation',
  'invitation',
  'organization',
  'privacy_request',
  'site',
  'user',
  'webhook',
] as const;

/** Audit targets are open-ended strings in the API; known ones get words, others `null`. */
export const auditTargetKey = (type: string): MessageKey | null =>
  (AUDIT_TARGETS as readonly string[]).includes(type)
    ? (`audit.target.${type as (typeof AUDIT_TARGETS)[number]}` as const)
    : null;
