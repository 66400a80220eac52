import { randomBytes } from 'node:crypto';

import type {
  Invitation,
  InviteMemberRequest,
  InviteMemberResponse,
  Member,
  Page,
  PageQuery,
  Role,
} from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import { AccessCache } from '../access/access-cache';
import type { OrganizationScope, Principal } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { normalizeEmail } from '../common/identifiers';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { TransactionRunner } from '../database/transactions';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { consoleLink } from '../mail/console-links';
import { MailBudget } from '../mail/mail-budget';
import { Mailer } from '../mail/mailer';
import { UsersService } from '../users/users.service';
import { InvitationLinks } from './invitation-links';
import { InvitationsRepository } from './invitations.repository';
import { mapInvitation, mapMember } from './members.mapper';
import { type MemberRow, MembershipsRepository } from './memberships.repository';
import { OrganizationsRepository } from './organizations.repository';

const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** The team of one organization. The access guard has already checked the caller's role. */
@Injectable()
export class MembersService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly access: AccessCache,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly mailer: Mailer,
    private readonly mailBudget: MailBudget,
    private readonly links: InvitationLinks,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async list(scope: OrganizationScope, query: PageQuery): Promise<Page<Member>> {
    const limit = pageLimit(query);
    const rows = await this.memberships.list(scope.organizationId, decodeCursor(query.cursor), limit);
    return toPage(rows, limit, mapMember, (row) => ({ createdAt: row.createdAt, id: row.userId }));
  }

  async listInvitations(scope: OrganizationScope, query: PageQuery): Promise<Page<Invitation>> {
    const limit = pageLimit(query);
    const rows = await this.invitations.listPending(scope.organizationId, decodeCursor(query.cursor), limit);
    return toPage(rows, limit, mapInvitation, (row) => row);
  }

  /**
   * Nobody joins here: an unknown email gets an invitation whose signed link (e-mailed, or given
   * back to the owner when e-mail is off) proves the address at signup; an existing account gets a
   * pending invitation it accepts in the console.
   */
  async invite(
    scope: OrganizationScope,
    inviter: Principal,
    request: InviteMemberRequest,
  ): Promise<InviteMemberResponse> {
    const email = normalizeEmail(request.email);
    const { organizationId } = scope;
    // Before anything changes: a refused invitation must not void the link already sent.
    if (this.mailer.enabled && !(await this.mailBudget.take(email))) {
      throw new DomainError('RATE_LIMITED', 'This address was sent too many messages; try again later');
    }
    const [organizationName, inviterUser] = await Promise.all([
      this.organizations.findName(organizationId),
      this.users.findById(inviter.userId),
    ]);
    const { invitation, hasAccount, link } = await this.transactions.run(async (tx) => {
      await this.invitations.lockEmail(tx, email);
      const user = await this.users.findByEmail(email, tx);
      if (user && (await this.memberships.find(organizationId, user.id, tx))) {
        throw new DomainError('ALREADY_MEMBER', 'This person is already a member');
      }
      const upserted = await this.invitations.upsert(tx, {
        organizationId,
        email,
        role: request.role,
        invitedBy: inviter.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        linkNonce: randomBytes(16).toString('hex'),
        locale: request.locale ?? user?.locale ?? 'en',
      });
      await this.audit.record(tx, {
        organizationId,
        actor: { kind: 'user', userId: inviter.userId },
        action: 'member.invited',
        target: { type: 'invitation', id: upserted.id },
        details: { role: request.role, account: user !== null },
      });
      const link = user ? consoleLink(this.config.publicUrl, 'invitations') : this.links.urlFor(upserted);
      // In the same transaction: an acknowledged invitation always has its message in the outbox.
      await this.mailer.send(
        upserted.email,
        upserted.locale,
        {
          kind: user ? 'invitation-pending' : 'invitation',
          organizationName: organizationName ?? '',
          inviterName: inviterUser?.name ?? '',
          link,
        },
        tx,
      );
      return { invitation: upserted, hasAccount: user !== null, link };
    });
    if (hasAccount) return { status: 'pending', invitation: mapInvitation(invitation) };
    return {
      status: 'invited',
      invitation: mapInvitation(invitation),
      link: this.mailer.enabled ? null : link,
    };
  }

  async changeRole(scope: OrganizationScope, caller: Principal, userId: string, role: Role): Promise<Member> {
    const changed = await this.transactions.run(async (tx) => {
      const owners = await this.lockOwners(tx, scope.organizationId, caller);
      const member = await this.requireMember(tx, scope.organizationId, userId);
      if (member.role === 'owner' && role !== 'owner') assertAnotherOwner(owners);
      await this.memberships.updateRole(tx, scope.organizationId, userId, role);
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: { kind: 'user', userId: caller.userId },
        action: 'member.role_changed',
        target: { type: 'user', id: userId },
        details: { from: member.role, to: role },
      });
      return mapMember({ ...member, role });
    });
    // After the commit: every replica re-reads the member's access from here on.
    await this.access.membershipChanged(scope.organizationId, userId, role);
    return changed;
  }

  /** Owners remove anyone; every member may remove themselves (leave). */
  async remove(scope: OrganizationScope, caller: Principal, userId: string): Promise<void> {
    const leaving = caller.userId === userId;
    if (scope.role !== 'owner' && !leaving) {
      throw new DomainError('FORBIDDEN', 'Only owners can remove other members');
    }
    await this.transactions.run(async (tx) => {
      const owners = await this.lockOwners(tx, scope.organizationId, leaving ? null : caller);
      const member = await this.requireMember(tx, scope.organizationId, userId);
      if (member.role === 'owner') assertAnotherOwner(owners);
      await this.memberships.delete(tx, scope.organizationId, userId);
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: { kind: 'user', userId: caller.userId },
        action: 'member.removed',
        target: { type: 'user', id: userId },
        details: { role: member.role, left: leaving },
      });
    });
    // After the commit: their sockets on every replica stop receiving the organization's events now.
    await this.access.membershipChanged(scope.organizationId, userId, null);
  }

  async revokeInvitation(scope: OrganizationScope, caller: Principal, invitationId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      if (!(await this.invitations.delete(tx, scope.organizationId, invitationId))) {
        throw new DomainError('INVITATION_NOT_FOUND', 'Invitation not found');
      }
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: { kind: 'user', userId: caller.userId },
        action: 'invitation.revoked',
        target: { type: 'invitation', id: invitationId },
      });
    });
  }

  /**
   * Locks the organization's owner rows before anything is read, so owners acting at once are
   * serialized: two owners demoting each other cannot leave the organization without one. With
   * `actingOwner`, also re-checks under the lock that the caller is still an owner.
   */
  private async lockOwners(tx: Tx, organizationId: string, actingOwner: Principal | null): Promise<string[]> {
    const owners = await this.memberships.lockOwners(tx, organizationId);
    if (actingOwner && !owners.includes(actingOwner.userId)) {
      throw new DomainError('FORBIDDEN', 'This action requires the owner role');
    }
    return owners;
  }

  private async requireMember(tx: Tx, organizationId: string, userId: string): Promise<MemberRow> {
    const member = await this.memberships.find(organizationId, userId, tx);
    if (!member) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    return member;
  }
}

function assertAnotherOwner(owners: string[]): void {
  if (owners.length <= 1) {
    throw new DomainError('LAST_OWNER', 'An organization needs an owner: make someone else owner first');
  }
}
