import type { SiteExportQuery } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import type { Principal, SiteScope } from '../access/access-policy';
import { actorOf, AuditService } from '../audit/audit.service';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { TransactionRunner } from '../database/transactions';
import { PrivacyExportRepository } from './privacy-export.repository';
import { PrivacyRepository } from './privacy.repository';
import { decodeSiteCursor, siteExportStream } from './site-export';
import type { ExportDownload } from './privacy.service';
import { SubjectHasher } from './subject-hash';

/** Every visitor's data of one site, for its owners and admins (portability, backups, audits). */
@Injectable()
export class SiteExportService {
  constructor(
    private readonly privacy: PrivacyRepository,
    private readonly exports: PrivacyExportRepository,
    private readonly hasher: SubjectHasher,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /**
   * Streams the site's export from the start or after a cursor. Each response is a request in the
   * ledger and the audit trail before its first byte, completed with its row counts after the
   * last; a bad cursor is refused before anything is recorded.
   */
  async export(scope: SiteScope, actor: Principal, query: SiteExportQuery): Promise<ExportDownload> {
    const start = query.cursor === undefined ? null : decodeSiteCursor(query.cursor, scope.siteId);
    const requestId = await this.transactions.run(async (tx) => {
      const id = await this.privacy.insertRequest(tx, {
        organizationId: scope.organizationId,
        siteId: scope.siteId,
        kind: 'export',
        subjectKind: 'site',
        subjectHash: this.hasher.hash('site', scope.siteId, scope.siteId),
        actorKind: 'user',
        actorUserId: actor.userId,
        counts: null,
      });
      await this.audit.record(tx, {
        organizationId: scope.organizationId,
        actor: actorOf(actor),
        action: 'privacy.exported',
        target: { type: 'privacy_request', id },
        details: { siteId: scope.siteId, subjectKind: 'site', resumed: start !== null },
      });
      return id;
    });
    const stream = siteExportStream(
      scope.siteId,
      start,
      {
        batches: (entry, after) =>
          this.exports.siteBatches(entry, scope.siteId, after, this.config.runtime.siteExportBatch),
      },
      (counts) => this.privacy.completeRequest(requestId, counts),
    );
    return { filename: `cloop-site-export-${new Date().toISOString().slice(0, 10)}.ndjson`, stream };
  }
}
