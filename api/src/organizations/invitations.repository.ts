import type { MailLocale, Role } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import { InvitationEntity } from './invitation.entity';

export interface PendingInvitationRow {
  id: string;
  organizationId: string;
  organizationName: string;
  role: Role;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

@Injectable()
export class InvitationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates the invitation, or renews the role, expiry, language and link nonce of one already
   * pending for the email (a renewal voids the links sent before).
   */
  async upsert(
    tx: Tx,
    invitation: {
      organizationId: string;
      email: string;
      role: Role;
      invitedBy: string;
      expiresAt: Date;
      linkNonce: string;
      locale: MailLocale;
    },
  ): Promise<InvitationEntity> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(InvitationEntity)
      .values(invitation)
      .orUpdate(['role', 'invited_by', 'expires_at', 'link_nonce', 'locale'], ['organization_id', 'email'])
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

  /**
   * Removes and returns the unexpired invitation a signed link names, if it is still the one the
   * link was made for (same nonce) and for this email: a link works once.
   */
  async takeByLink(
    tx: Tx,
    link: { invitationId: string; nonce: string; email: string },
  ): Promise<Pick<InvitationEntity, 'organizationId' | 'role'> | null> {
    const [rows] = await tx.query<[{ organization_id: string; role: Role }[], number]>(
      `DELETE FROM invitations
        WHERE id = $1 AND link_nonce = $2 AND email = $3 AND expires_at > now()
        RETURNING organization_id, role`,
      [link.invitationId, link.nonce, link.email],
    );
    const row = rows[0];
    return row ? { organizationId: row.organization_id, role: row.role } : null;
  }

  /** Removes and returns one unexpired invitation to this email. */
  async takeForEmail(
    tx: Tx,
    invitationId: string,
    email: string,
  ): Promise<Pick<InvitationEntity, 'organizationId' | 'role' | 'createdAt'> | null> {
    const [rows] = await tx.query<[{ organization_id: string; role: Role; created_at: Date }[], number]>(
      `DELETE FROM invitations WHERE id = $1 AND email = $2 AND expires_at > now()
        RETURNING organization_id, role, created_at`,
      [invitationId, email],
    );
    const row = rows[0];
    return row
      ? { organizationId: row.organization_id, role: row.role, createdAt: new Date(row.created_at) }
      : null;
  }

  /** The unexpired invitations to one email across organizations, newest first. */
  async listForEmail(email: string): Promise<PendingInvitationRow[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        organization_id: string;
        organization_name: string;
        role: Role;
        invited_by: string | null;
        created_at: Date;
        expires_at: Date;
      }[]
    >(
      `SELECT i.id, i.organization_id, o.name AS organization_name, i.role, u.name AS invited_by,
              i.created_at, i.expires_at
         FROM invitations i
         JOIN organizations o ON o.id = i.organization_id
         LEFT JOIN users u ON u.id = i.invited_by
        WHERE i.email = $1 AND i.expires_at > now()
        ORDER BY i.created_at DESC, i.id
        LIMIT 100`,
      [email],
    );
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      organizationName: row.organization_name,
      role: row.role,
      invitedBy: row.invited_by,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    }));
  }

  /** `true` if an invitation to this email was deleted. */
  /** The organization of the deleted invitation, or `null` if there was none for this address. */
  async deleteForEmail(tx: Tx, invitationId: string, email: string): Promise<string | null> {
    const [rows] = await tx.query<[{ organization_id: string }[], number]>(
      `DELETE FROM invitations WHERE id = $1 AND email = $2 RETURNING organization_id`,
      [invitationId, email],
    );
    return rows[0]?.organization_id ?? null;
  }

  /** `true` if an invitation of this organization was deleted. */
  async delete(tx: Tx, organizationId: string, invitationId: string): Promise<boolean> {
    const result = await tx.getRepository(InvitationEntity).delete({ organizationId, id: invitationId });
    return (result.affected ?? 0) > 0;
  }
}
