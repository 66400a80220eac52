import { Injectable } from '@nestjs/common';

import type { Tx } from '../database/transactions';

export interface MembershipStanding {
  organizationId: string;
  organizationName: string;
  role: string;
  members: number;
  owners: number;
}

/** What deleting an account does to the organizations it belongs to. */
@Injectable()
export class AccountRepository {
  /**
   * The user's organizations with their head counts, after locking each one's owner rows (in a
   * fixed order) — the lock the team's own role changes take, so no hand-over races a deletion.
   */
  async lockStandings(tx: Tx, userId: string): Promise<MembershipStanding[]> {
    const organizations = await tx.query<{ organization_id: string }[]>(
      `SELECT organization_id FROM memberships WHERE user_id = $1 ORDER BY organization_id`,
      [userId],
    );
    const standings: MembershipStanding[] = [];
    for (const { organization_id: organizationId } of organizations) {
      await tx.query(
        `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE`,
        [organizationId],
      );
      const [row] = await tx.query<{ name: string; role: string; members: number; owners: number }[]>(
        `SELECT o.name, m.role,
                (SELECT count(*)::int FROM memberships x WHERE x.organization_id = o.id) AS members,
                (SELECT count(*)::int FROM memberships x WHERE x.organization_id = o.id AND x.role = 'owner') AS owners
           FROM organizations o JOIN memberships m ON m.organization_id = o.id AND m.user_id = $2
          WHERE o.id = $1`,
        [organizationId, userId],
      );
      if (row) standings.push({ organizationId, organizationName: row.name, ...row });
    }
    return standings;
  }

  /** Deletes organizations with their sites and everything recorded for them. */
  async deleteOrganizations(tx: Tx, organizationIds: string[]): Promise<number> {
    if (organizationIds.length === 0) return 0;
    const [row] = await tx.query<{ count: number }[]>(
      `WITH gone AS (DELETE FROM organizations WHERE id = ANY($1) RETURNING 1) SELECT count(*)::int AS count FROM gone`,
      [organizationIds],
    );
    return row?.count ?? 0;
  }
}
