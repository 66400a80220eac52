import type {
  Invitation,
  InviteMemberRequest,
  InviteMemberResponse,
  Member,
  Page,
  PageQuery,
  Role,
} from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { OrganizationScope, Principal } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { TransactionRunner } from '../database/transactions';
import { UsersRepository } from '../users/users.repository';
import { InvitationsRepository } from './invitations.repository';
import { mapInvitation, mapMember } from './members.mapper';
import { type MemberRow, MembershipsRepository } from './memberships.repository';

export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** The team of one organization. The access guard has already checked the caller's role. */
@Injectable()
export class MembersService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(scope: OrganizationScope, query: PageQuery): Promise<Page<Member>> {
    const limit = pageLimit(query);
    const rows = await this.memberships.list(scope.organizationId, decodeCursor(query.cursor), limit);
    return toPage(rows, limit, mapMember, (row) => ({ createdAt: row.createdAt, id: row.userId }));
  }

  async listInvitations(scope: OrganizationScope): Promise<Invitation[]> {
    return (await this.invitations.listPending(scope.organizationId)).map(mapInvitation);
  }

  /** An existing account joins at once; an unknown email gets an invitation it takes up at signup. */
  async invite(
    scope: OrganizationScope,
    inviter: Principal,
    request: InviteMemberRequest,
  ): Promise<InviteMemberResponse> {
    const email = request.email.trim().toLowerCase();
    const { organizationId } = scope;
    return this.transactions.run(async (tx) => {
      const [user] = await this.users.findByEmails(tx, [email]);
      if (!user) {
        const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
        const invitation = await this.invitations.upsert(tx, {
          organizationId,
          email,
          role: request.role,
          invitedBy: inviter.userId,
          expiresAt,
        });
        return { status: 'invited', invitation: mapInvitation(invitation) };
      }
      if (await this.memberships.find(organizationId, user.id, tx)) {
        throw new DomainError('ALREADY_MEMBER', 'This person is already a member');
      }
      await this.memberships.insert(tx, [{ organizationId, userId: user.id, role: request.role }]);
      return { status: 'joined', member: mapMember(await this.requireMember(tx, organizationId, user.id)) };
    });
  }

  async changeRole(scope: OrganizationScope, userId: string, role: Role): Promise<Member> {
    return this.transactions.run(async (tx) => {
      const member = await this.requireMember(tx, scope.organizationId, userId);
      if (member.role === 'owner' && role !== 'owner')
        await this.assertNotLastOwner(tx, scope.organizationId);
      await this.memberships.updateRole(tx, scope.organizationId, userId, role);
      return mapMember({ ...member, role });
    });
  }

  /** Owners remove anyone; every member may remove themselves (leave). */
  async remove(scope: OrganizationScope, caller: Principal, userId: string): Promise<void> {
    if (scope.role !== 'owner' && caller.userId !== userId) {
      throw new DomainError('FORBIDDEN', 'Only owners can remove other members');
    }
    await this.transactions.run(async (tx) => {
      const member = await this.requireMember(tx, scope.organizationId, userId);
      if (member.role === 'owner') await this.assertNotLastOwner(tx, scope.organizationId);
      await this.memberships.delete(tx, scope.organizationId, userId);
    });
  }

  async revokeInvitation(scope: OrganizationScope, invitationId: string): Promise<void> {
    const deleted = await this.transactions.run((tx) =>
      this.invitations.delete(tx, scope.organizationId, invitationId),
    );
    if (!deleted) throw new DomainError('INVITATION_NOT_FOUND', 'Invitation not found');
  }

  private async requireMember(tx: Tx, organizationId: string, userId: string): Promise<MemberRow> {
    const member = await this.memberships.find(organizationId, userId, tx);
    if (!member) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    return member;
  }

  private async assertNotLastOwner(tx: Tx, organizationId: string): Promise<void> {
    const owners = await this.memberships.lockOwners(tx, organizationId);
    if (owners.length <= 1) {
      throw new DomainError('LAST_OWNER', 'An organization needs an owner: make someone else owner first');
    }
  }
}
