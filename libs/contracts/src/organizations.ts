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
}

/** An existing user joins at once (`member`); an unknown email gets an `invitation` used at signup. */
export type InviteMemberResponse =
  | { status: 'joined'; member: Member }
  | { status: 'invited'; invitation: Invitation };

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
