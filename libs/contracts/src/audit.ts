/** What the audit trail records. Details hold ids and counts, never emails, names or message text. */
export const AUDIT_ACTIONS = [
  'auth.login_failed',
  'auth.refresh_reused',
  'auth.password_reset',
  'member.added',
  'member.invited',
  'member.role_changed',
  'member.removed',
  'invitation.revoked',
  'invitation.declined',
  'organization.renamed',
  'site.created',
  'site.updated',
  'site.key_rotated',
  'site.deleted',
  'webhook.created',
  'webhook.updated',
  'webhook.secret_rotated',
  'webhook.deleted',
  'conversation.deleted',
  'privacy.exported',
  'privacy.erased',
  'account.deleted',
  'retention.deleted',
  'api_key.created',
  'api_key.revoked',
  'api_key.privacy_used',
  'sso.updated',
  'auth.sso_break_glass',
  'auth.sso_provider_refused',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTOR_KINDS = ['user', 'visitor', 'system', 'anonymous', 'api_key'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

export interface AuditEvent {
  id: string;
  organizationId: string;
  /** Position in the organization's hash chain. */
  seq: number;
  actor: { kind: AuditActorKind; userId: string | null };
  action: AuditAction;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
  createdAt: string;
  prevHash: string;
  hash: string;
}
