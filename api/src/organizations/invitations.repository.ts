import type { Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { InvitationEntity } from './invitation.entity';

@Injectable()
export class InvitationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the invitation, or renews the role and expiry of one already pending for the email. */
  async upsert(
    tx: Tx,
    invitation: { organizationId: string; email: string; role: Role; invitedBy: string; expiresAt: Date },
  ): Promise<InvitationEntity> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(InvitationEntity)
      .values(invitation)
      .orUpdate(['role', 'invited_by', 'expires_at'], ['organization_id', 'email'])
      .execute();
    return tx
      .getRepository(InvitationEntity)
      .findOneByOrFail({ organizationId: invitation.organizationId, email: invitation.email });
  }

  /**
   * Serializes signup and invitation of one email address, so an invitation cannot be written just
   * after the signup that should have taken it up.
   */
  async lockEmail(tx: Tx, email: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`invitation:${email}`]);
  }

  /** Unexpired invitations of one organization, oldest first, `limit + 1` rows after `after`. */
  listPending(organizationId: string, after: Keyset | null, limit: number): Promise<InvitationEntity[]> {
    const query = this.dataSource
      .getRepository(InvitationEntity)
      .createQueryBuilder('i')
      .where('i.organization_id = :organizationId AND i.expires_at > now()', { organizationId })
      .orderBy('i.created_at')
      .addOrderBy('i.id')
      .limit(limit + 1);
    if (after) query.andWhere('(i.created_at, i.id) > (:createdAt, :id)', after);
    return query.getMany();
  }

  /** Removes and returns the unexpired invitations for an email: they become memberships at signup. */
  async takePending(tx: Tx, email: string): Promise<Pick<InvitationEntity, 'organizationId' | 'role'>[]> {
    const result = await tx
      .createQueryBuilder()
      .delete()
      .from(InvitationEntity)
      .where('email = :email', { email })
      .returning('organization_id, role, expires_at')
      .execute();
    const rows = result.raw as { organization_id: string; role: Role; expires_at: Date }[];
    const now = Date.now();
    return rows
      .filter((row) => new Date(row.expires_at).getTime() > now)
      .map((row) => ({ organizationId: row.organization_id, role: row.role }));
  }

  async hasPending(email: string): Promise<boolean> {
    return this.dataSource
      .getRepository(InvitationEntity)
      .createQueryBuilder('i')
      .where('i.email = :email AND i.expires_at > now()', { email })
      .getExists();
  }

  /** `true` if an invitation of this organization was deleted. */
  async delete(tx: Tx, organizationId: string, invitationId: string): Promise<boolean> {
    const result = await tx.getRepository(InvitationEntity).delete({ organizationId, id: invitationId });
    return (result.affected ?? 0) > 0;
  }
}
