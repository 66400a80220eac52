import type { ErasureResult } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { Principal } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { DomainError } from '../common/domain-error';
import { defaultOrganizationName, UNNAMED_ORGANIZATION } from '../organizations/organization-name';
import { TransactionRunner } from '../database/transactions';
import { AccountRepository, type MembershipStanding } from './account.repository';
import { exportDocumentStream } from './export-document';
import { exportedEntries, registryFor } from './personal-data-registry';
import { PrivacyExportRepository } from './privacy-export.repository';
import { PrivacyRepository } from './privacy.repository';
import { EXPORT_BATCH, type ExportDownload } from './privacy.service';
import { accountProcessingFacts } from './processing-facts';
import { SubjectHasher } from './subject-hash';

/** A console user's own rights: a copy of their account data, and deleting the account. */
@Injectable()
export class AccountPrivacyService {
  constructor(
    private readonly privacy: PrivacyRepository,
    private readonly exports: PrivacyExportRepository,
    private readonly accounts: AccountRepository,
    private readonly hasher: SubjectHasher,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly transactions: TransactionRunner,
  ) {}

  async exportAccount(principal: Principal): Promise<ExportDownload> {
    const { userId } = principal;
    const requestId = await this.privacy.insertRequest(null, this.ledgerEntry(userId, 'export', null));
    const params = [userId];
    const stream = exportDocumentStream(
      {
        format: 'cloop.privacy-export.v1',
        generatedAt: new Date().toISOString(),
        subject: { kind: 'user', value: userId },
        processing: accountProcessingFacts(),
      },
      exportedEntries('user').map((entry) => ({
        name: entry.table,
        batches: this.exports.exportBatches(entry, params, EXPORT_BATCH),
      })),
      (counts) => this.privacy.completeRequest(requestId, counts),
    );
    return { filename: `cloop-account-${new Date().toISOString().slice(0, 10)}.json`, stream };
  }

  /**
   * Deletes the account after the password is confirmed. An organization the user is alone in goes
   * with it (sites and all); one that would be left without an owner blocks the deletion until the
   * user hands over.
   */
  async deleteAccount(principal: Principal, password: string, ip: string): Promise<ErasureResult> {
    const { userId } = principal;
    const user = await this.auth.confirmPassword(principal, password, ip);
    return this.transactions.run(async (tx) => {
      const standings = await this.accounts.lockStandings(tx, userId);
      assertHandedOver(standings);
      const alone = standings.filter((standing) => standing.members === 1).map((s) => s.organizationId);
      const staying = standings.filter((standing) => standing.members > 1);
      for (const standing of staying) {
        await this.audit.record(tx, {
          organizationId: standing.organizationId,
          actor: { kind: 'user', userId },
          action: 'account.deleted',
          target: { type: 'user', id: userId },
          details: { role: standing.role },
        });
      }
      await this.accounts.renameOrganizations(
        tx,
        staying.map((standing) => standing.organizationId),
        defaultOrganizationName(user.name),
        UNNAMED_ORGANIZATION,
      );
      // Counted first: the organizations' foreign keys delete these with them.
      const deleted: Record<string, number> = {
        ...(await this.accounts.contentsOf(tx, alone)),
        organizations: await this.accounts.deleteOrganizations(tx, alone),
        // Each organization the user was alone in held exactly one membership: theirs.
        memberships: alone.length,
      };
      for (const entry of registryFor('user')) {
        const count = await this.privacy.erase(tx, entry, [userId]);
        if (entry.erasure.kind === 'delete') deleted[entry.table] = (deleted[entry.table] ?? 0) + count;
      }
      await this.privacy.insertRequest(tx, this.ledgerEntry(userId, 'erase', deleted));
      return { deleted };
    });
  }

  private ledgerEntry(userId: string, kind: 'export' | 'erase', counts: Record<string, number> | null) {
    return {
      organizationId: null,
      siteId: null,
      kind,
      subjectKind: 'user' as const,
      subjectHash: this.hasher.hash('user', '', userId),
      // The account is gone once an erasure completes: the ledger must not point at it.
      actorKind: 'user' as const,
      actorUserId: kind === 'erase' ? null : userId,
      counts,
    };
  }
}

function assertHandedOver(standings: MembershipStanding[]): void {
  const blocking = standings.filter(
    (standing) => standing.role === 'owner' && standing.owners === 1 && standing.members > 1,
  );
  if (blocking.length > 0) {
    throw new DomainError(
      'LAST_OWNER',
      `Make another member owner first: you are the only owner of ${blocking
        .map((standing) => standing.organizationName)
        .join(', ')}`,
    );
  }
}
