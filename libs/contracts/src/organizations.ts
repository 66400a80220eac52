import type { MailLocale } from './mail';

/** Ordered from least to most powerful. */
export const ROLES = ['member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invitedAt: string;
  expiresAt: string;
}

export interface InviteMemberRequest {
  email: string;
  role: Role;
  /** The language of the invitation e-mail; English by default. */
  locale?: MailLocale;
}

/**
 * Nobody joins until they prove the address: an unknown email (`invited`) joins through the signed
 * link of its invitation; an existing account (`pending`) accepts in the console.
 */
export type InviteMemberResponse =
  | {
      status: 'invited';
      invitation: Invitation;
      /** The signed link, when e-mail is off, for the owner to pass on; `null` when it was e-mailed. */
      link: string | null;
    }
  | { status: 'pending'; invitation: Invitation };

export interface UpdateMemberRequest {
  role: Role;
}

export const ORGANIZATION_NAME_MAX_LENGTH = 100;

export interface Organization {
  id: string;
  name: string;
}

/** Body of `PATCH /organizations/:orgId`. */
export interface RenameOrganizationRequest {
  name: string;
}
