import type { Readable } from 'node:stream';

import type {
  ErasureResult,
  Page,
  PageQuery,
  PrivacyRequest,
  PrivacySubjectKind,
  PrivacySubjectRequest,
} from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import type { Principal, SiteScope, VisitorScope } from '../access/access-policy';
import { actorOf, type AuditActor, AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { normalizeEmail } from '../common/identifiers';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { ConversationsService } from '../conversations/conversations.service';
import { TransactionRunner, type Tx } from '../database/transactions';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { exportDocumentStream, type ExportSection } from './export-document';
import { exportedEntries, registryFor } from './personal-data-registry';
import { PrivacyExportRepository } from './privacy-export.repository';
import { PrivacyRepository, type PrivacyRequestRow, type SiteFacts } from './privacy.repository';
import { visitorProcessingFacts } from './processing-facts';
import { SubjectHasher } from './subject-hash';

/** Rows per query of an export: bounds memory (a message is at most ~16 KB of JSON). */
export const EXPORT_BATCH = 500;

export interface ExportDownload {
  filename: string;
  stream: Readable;
}

/** A visitor of one site, named by browser UUID or by the email they left. */
interface SiteSubject {
  siteId: string;
  kind: Extract<PrivacySubjectKind, 'visitor' | 'email'>;
  value: string;
}

/** Export and erasure of visitors' data, for the site's team and for visitors themselves. */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly privacy: PrivacyRepository,
    private readonly exports: PrivacyExportRepository,
    private readonly hasher: SubjectHasher,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly conversations: ConversationsService,
    private readonly webhooks: WebhookOutbox,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  exportForTeam(scope: SiteScope, actor: Principal, request: PrivacySubjectRequest): Promise<ExportDownload> {
    return this.export(siteSubject(scope.siteId, request), actorOf(actor));
  }

  eraseForTeam(scope: SiteScope, actor: Principal, request: PrivacySubjectRequest): Promise<ErasureResult> {
    return this.erase(siteSubject(scope.siteId, request), actorOf(actor));
  }

  exportOwnData(visitor: VisitorScope): Promise<ExportDownload> {
    return this.export(ownSubject(visitor), { kind: 'visitor' });
  }

  eraseOwnData(visitor: VisitorScope): Promise<ErasureResult> {
    return this.erase(ownSubject(visitor), { kind: 'visitor' });
  }

  async listRequests(scope: SiteScope, query: PageQuery): Promise<Page<PrivacyRequest>> {
    const limit = pageLimit(query);
    const rows = await this.privacy.listRequests(scope.siteId, decodeCursor(query.cursor), limit);
    return toPage(rows, limit, mapPrivacyRequest, (row) => ({ createdAt: row.received_at, id: row.id }));
  }

  /**
   * Streams the document; the request is in the ledger before the first byte and completed after
   * the last. Reads run in short batches, so other requests are served meanwhile.
   */
  private async export(subject: SiteSubject, actor: AuditActor): Promise<ExportDownload> {
    const site = await this.requireSite(subject.siteId);
    const visitorIds = await this.resolveVisitors(null, subject);
    const conversations = await this.privacy.conversationsOf(
      null,
      subject.siteId,
      visitorIds,
      subject.kind === 'email' ? subject.value : null,
    );
    const requestId = await this.transactions.run(async (tx) => {
      const id = await this.privacy.insertRequest(tx, this.ledgerEntry(site, subject, 'export', actor, null));
      await this.audit.record(tx, {
        organizationId: site.organizationId,
        actor,
        action: 'privacy.exported',
        target: { type: 'privacy_request', id },
        details: { siteId: subject.siteId, subjectKind: subject.kind },
      });
      return id;
    });
    const params = [subject.siteId, visitorIds, conversations.map((conversation) => conversation.id)];
    const sections: ExportSection[] = exportedEntries('visitor').map((entry) => ({
      name: entry.table,
      batches: this.exports.exportBatches(entry, params, EXPORT_BATCH),
    }));
    const stream = exportDocumentStream(
      {
        format: 'cloop.privacy-export.v1',
        generatedAt: new Date().toISOString(),
        subject: { kind: subject.kind, value: subject.value },
        processing: visitorProcessingFacts(site, this.config),
      },
      sections,
      (counts) => this.privacy.completeRequest(requestId, counts),
    );
    return { filename: `cloop-data-${new Date().toISOString().slice(0, 10)}.json`, stream };
  }

  /**
   * Deletes every registered row of the subject in one transaction — by email, everything of every
   * browser that left it: erasure errs on the side of deleting, export on the side of not
   * disclosing. The request is recorded in the same transaction; then live clients are told: the
   * team's inboxes drop the conversations, the visitor's widget starts fresh.
   */
  private async erase(subject: SiteSubject, actor: AuditActor): Promise<ErasureResult> {
    const site = await this.requireSite(subject.siteId);
    const { deleted, conversations, visitorIds } = await this.transactions.run(async (tx) => {
      const visitorIds = await this.resolveVisitors(tx, subject);
      const conversations = await this.privacy.conversationsOf(tx, subject.siteId, visitorIds);
      const deleted: Record<string, number> = {};
      for (const entry of registryFor('visitor')) {
        deleted[entry.table] = await this.privacy.erase(tx, entry, [
          subject.siteId,
          visitorIds,
          conversations.map((conversation) => conversation.id),
        ]);
      }
      const requestId = await this.privacy.insertRequest(
        tx,
        this.ledgerEntry(site, subject, 'erase', actor, deleted),
      );
      await this.audit.record(tx, {
        organizationId: site.organizationId,
        actor,
        action: 'privacy.erased',
        target: { type: 'privacy_request', id: requestId },
        details: { siteId: subject.siteId, subjectKind: subject.kind, deleted },
      });
      // Queued deliveries about the subject went with the registry's rows; this one names nobody.
      await this.webhooks.privacyErased(tx, subject.siteId, {
        requestId,
        conversationIds: conversations.map((conversation) => conversation.id),
      });
      return { deleted, conversations, visitorIds };
    });
    for (const conversation of conversations) {
      await this.conversations.announceDeleted(subject.siteId, conversation.id, conversation.visitor_id);
    }
    for (const visitorId of visitorIds) await this.conversations.announceErased(subject.siteId, visitorId);
    return { deleted };
  }

  /** Locked inside an erasure, so no conversation of the subject can be created meanwhile. */
  private resolveVisitors(tx: Tx | null, subject: SiteSubject): Promise<string[]> {
    const lock = tx !== null;
    return subject.kind === 'visitor'
      ? this.privacy.visitorsByUuid(tx, subject.siteId, subject.value, lock)
      : this.privacy.visitorsByEmail(tx, subject.siteId, subject.value, lock);
  }

  private async requireSite(siteId: string): Promise<SiteFacts> {
    const site = await this.privacy.siteFacts(siteId);
    if (!site) throw new DomainError('SITE_NOT_FOUND', 'Site not found');
    return site;
  }

  private ledgerEntry(
    site: SiteFacts,
    subject: SiteSubject,
    kind: 'export' | 'erase',
    actor: AuditActor,
    counts: Record<string, number> | null,
  ) {
    return {
      organizationId: site.organizationId,
      siteId: subject.siteId,
      kind,
      subjectKind: subject.kind,
      subjectHash: this.hasher.hash(subject.kind, subject.siteId, subject.value),
      // The ledger names people: a key's request is its creator's (the audit trail names the key).
      actorKind: actor.kind === 'user' || actor.kind === 'api_key' ? ('user' as const) : ('visitor' as const),
      actorUserId: actor.kind === 'user' || actor.kind === 'api_key' ? actor.userId : null,
      counts,
    };
  }
}

function siteSubject(siteId: string, request: PrivacySubjectRequest): SiteSubject {
  const { visitorId, email } = request;
  if ((visitorId === undefined) === (email === undefined)) {
    throw new DomainError('VALIDATION_FAILED', 'Name the subject by exactly one of visitorId and email');
  }
  return visitorId !== undefined
    ? { siteId, kind: 'visitor', value: visitorId.toLowerCase() }
    : { siteId, kind: 'email', value: normalizeEmail(email ?? '') };
}

function ownSubject(visitor: VisitorScope): SiteSubject {
  return { siteId: visitor.siteId, kind: 'visitor', value: visitor.visitorUuid };
}

function mapPrivacyRequest(row: PrivacyRequestRow): PrivacyRequest {
  return {
    id: row.id,
    siteId: row.site_id,
    kind: row.kind,
    subjectKind: row.subject_kind,
    subjectHash: row.subject_hash,
    receivedAt: row.received_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    actor: { kind: row.actor_kind, userId: row.actor_user_id },
    counts: row.counts,
  };
}
