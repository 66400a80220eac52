import type { OrganizationMembership, Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { Tx } from '../database/transactions';
import { InvitationsRepository } from './invitations.repository';
import { MembershipsRepository } from './memberships.repository';
import { defaultOrganizationName } from './organization-name';
import { OrganizationsRepository } from './organizations.repository';

/**
 * What accounts (sign-up, "me") need from organizations, so the repositories stay this module's
 * own (docs/architecture.md, "Module boundaries").
 */
@Injectable()
export class AccountOrganizations {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly invitations: InvitationsRepository,
  ) {}

  listForUser(userId: string): Promise<OrganizationMembership[]> {
    return this.organizations.listForUser(userId);
  }

  hasPendingInvitation(email: string): Promise<boolean> {
    return this.invitations.hasPending(email);
  }

  /** Serializes sign-up and invitation of one address for the rest of the transaction. */
  lockInvitationsOf(tx: Tx, email: string): Promise<void> {
    return this.invitations.lockEmail(tx, email);
  }

  /**
   * A new organization the user owns, named after them, and membership of the organization that
   * invited them, if any. Returns the new organization's id.
   */
  async foundFor(
    tx: Tx,
    owner: { userId: string; name: string },
    invited: { organizationId: string; role: Role } | null,
  ): Promise<string> {
    const organizationId = await this.organizations.insert(tx, defaultOrganizationName(owner.name));
    await this.memberships.insert(tx, [
      { organizationId, userId: owner.userId, role: 'owner' },
      ...(invited ? [{ ...invited, userId: owner.userId }] : []),
    ]);
    return organizationId;
  }

  /** Adds the user to the organization with `role` unless they are a member; whether they were added. */
  async joinUnlessMember(tx: Tx, organizationId: string, userId: string, role: Role): Promise<boolean> {
    if (await this.memberships.find(organizationId, userId, tx)) return false;
    await this.memberships.insert(tx, [{ organizationId, userId, role }]);
    return true;
  }
}
