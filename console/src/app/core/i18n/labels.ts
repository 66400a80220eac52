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
export const auditActionKey = (action: AuditAction): MessageKey => `audit.action.${action}` as const;
export const auditActorKey = (kind: AuditActorKind): MessageKey => `audit.actor.${kind}` as const;
export const sourceTypeKey = (type: KnowledgeSourceType): MessageKey => `knowledge.type.${type}` as const;
export const sourceStatusKey = (status: KnowledgeSourceStatus): MessageKey =>
  `knowledge.status.${status}` as const;
export const documentStatusKey = (status: KnowledgeDocumentStatus): MessageKey =>
  `knowledge.doc.${status}` as const;
