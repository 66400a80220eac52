import type { OrganizationMembership, PendingInvitation } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import { AccessCache } from '../access/access-cache';
import type { Principal } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { TransactionRunner, type Tx } from '../database/transactions';
import { Mailer } from '../mail/mailer';
import type { UserRecord } from '../users/user-record';
import { UsersService } from '../users/users.service';
import { InvitationLinks } from './invitation-links';
import { InvitationsRepository } from './invitations.repository';
import { MembershipsRepository } from './memberships.repository';
import { OrganizationsRepository } from './organizations.repository';

/** The signed-in user's side of invitations: see them, accept or decline them. */
@Injectable()
export class MyInvitationsService {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly users: UsersService,
    private readonly links: InvitationLinks,
    private readonly mailer: Mailer,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly access: AccessCache,
  ) {}

  async list(principal: Principal): Promise<PendingInvitation[]> {
    const user = await this.requireUser(principal);
    const rows = await this.invitations.listForEmail(user.email);
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organizationId,
      organizationName: row.organizationName,
      role: row.role,
      invitedBy: row.invitedBy,
      invitedAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    }));
  }

  /**
   * Joins the organization. The account must own the invited address: proven by a verification
   * or invitation link, or by the account existing before the invitation was made (then nobody
   * could have signed up with the address to catch the invitation).
   */
  async accept(principal: Principal, invitationId: string): Promise<OrganizationMembership> {
    const user = await this.requireUser(principal);
    const joined = await this.transactions.run(async (tx) => {
      const taken = await this.invitations.takeForEmail(tx, invitationId, user.email);
      if (!taken) throw notFound();
      // Thrown inside the transaction: the invitation stays for when the address is proven.
      if (user.emailVerifiedAt === null && user.createdAt > taken.createdAt) {
        throw new DomainError(
          'EMAIL_NOT_VERIFIED',
          this.mailer.enabled
            ? 'Confirm your e-mail address first (see the message we sent you), then accept'
            : 'This account was made after the invitation: open the invitation link the owner gave you',
        );
      }
      return this.join(tx, user, taken);
    });
    await this.access.membershipChanged(joined.id, user.id, joined.role);
    return joined;
  }

  async decline(principal: Principal, invitationId: string): Promise<void> {
    const user = await this.requireUser(principal);
    await this.transactions.run(async (tx) => {
      const organizationId = await this.invitations.deleteForEmail(tx, invitationId, user.email);
      if (organizationId === null) throw notFound();
      // The organization's owners see that the person said no, not just that the invitation left.
      await this.audit.record(tx, {
        organizationId,
        actor: { kind: 'user', userId: user.id },
        action: 'invitation.declined',
        target: { type: 'invitation', id: invitationId },
        details: {},
      });
    });
  }

  /** Takes up a signed invitation link while signed in: the link proves the address too. */
  async acceptLink(principal: Principal, token: string): Promise<OrganizationMembership> {
    const user = await this.requireUser(principal);
    const joined = await this.transactions.run(async (tx) => {
      const taken = await this.links.take(tx, token, user.email);
      await this.users.markEmailVerified(tx, user.id, user.email);
      return this.join(tx, user, taken);
    });
    await this.access.membershipChanged(joined.id, user.id, joined.role);
    return joined;
  }

  private async join(
    tx: Tx,
    user: UserRecord,
    invitation: { organizationId: string; role: OrganizationMembership['role'] },
  ): Promise<OrganizationMembership> {
    if (await this.memberships.find(invitation.organizationId, user.id, tx)) {
      throw new DomainError('ALREADY_MEMBER', 'You are already a member of this organization');
    }
    await this.memberships.insert(tx, [{ ...invitation, userId: user.id }]);
    await this.audit.record(tx, {
      organizationId: invitation.organizationId,
      actor: { kind: 'user', userId: user.id },
      action: 'member.added',
      target: { type: 'user', id: user.id },
      details: { role: invitation.role, by: 'invitation' },
    });
    const name = (await this.organizations.findName(invitation.organizationId, tx)) ?? '';
    return { id: invitation.organizationId, name, role: invitation.role };
  }

  private async requireUser(principal: Principal): Promise<UserRecord> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Not signed in');
    return user;
  }
}

function notFound(): DomainError {
  return new DomainError('INVITATION_NOT_FOUND', 'No such pending invitation for your address');
}
