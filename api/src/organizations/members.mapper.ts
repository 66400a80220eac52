import type { Invitation, Member } from '@cloop/contracts';

import type { InvitationEntity } from './invitation.entity';
import type { MemberRow } from './memberships.repository';

export function mapMember(row: MemberRow): Member {
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: row.createdAt.toISOString(),
  };
}

export function mapInvitation(invitation: InvitationEntity): Invitation {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invitedAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
