import { Injectable, Logger } from '@nestjs/common';

import { AuditService } from '../audit/audit.service';
import { ConversationsService } from '../conversations/conversations.service';
import { TransactionRunner } from '../database/transactions';
import { jobStep } from '../scheduling/job-step';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { type RetentionSite, RetentionRepository } from './retention.repository';

/** Conversations per transaction: short transactions, and a killed run loses at most one batch. */
export const RETENTION_BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SiteRetention {
  siteId: string;
  cutoff: string;
  conversations: number;
  messages: number;
  visitors: number;
}

export interface RetentionOptions {
  /** Called after each committed batch that deleted something; lets a test stop a run midway. */
  afterBatch?: () => void | Promise<void>;
  now?: Date;
  /** Stops the run after the batch in progress (shutdown); the next run finishes the job. */
  signal?: AbortSignal;
}

/**
 * Deletes, per site, conversations whose last message is older than the site's `retention_days`,
 * and visitors left without conversations. Batch by batch, each batch one transaction that also
 * writes its audit event: a run stopped anywhere leaves only whole batches done, and running again
 * finishes the job (the work is defined by the data, not by the run).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly retention: RetentionRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly conversations: ConversationsService,
    private readonly webhooks: WebhookOutbox,
  ) {}

  async run(options: RetentionOptions = {}): Promise<SiteRetention[]> {
    const now = options.now ?? new Date();
    const results: SiteRetention[] = [];
    for (const site of await jobStep('list sites', () => this.retention.sites())) {
      if (options.signal?.aborted) break;
      const result = await this.runForSite(
        site,
        new Date(now.getTime() - site.retentionDays * DAY_MS),
        options,
      );
      if (result.conversations + result.visitors > 0) results.push(result);
    }
    const deliveries = await jobStep('prune webhook deliveries', () => this.webhooks.pruneDeliveries(now));
    if (deliveries > 0) this.logger.log(`deleted ${deliveries} webhook deliveries older than 30 days`);
    return results;
  }

  private async runForSite(
    site: RetentionSite,
    cutoff: Date,
    options: RetentionOptions,
  ): Promise<SiteRetention> {
    const total: SiteRetention = {
      siteId: site.siteId,
      cutoff: cutoff.toISOString(),
      conversations: 0,
      messages: 0,
      visitors: 0,
    };
    for (;;) {
      const batch = await jobStep('delete a batch', () =>
        this.transactions.run(async (tx) => {
          const deleted = await jobStep('delete conversations', () =>
            this.retention.deleteStaleConversations(tx, site.siteId, cutoff, RETENTION_BATCH),
          );
          const visitors =
            deleted.conversations.length < RETENTION_BATCH
              ? await jobStep('delete visitors', () =>
                  this.retention.deleteStaleVisitors(tx, site.siteId, cutoff, RETENTION_BATCH),
                )
              : 0;
          if (deleted.conversations.length + visitors > 0) {
            await jobStep('record the audit event', () =>
              this.audit.record(tx, {
                organizationId: site.organizationId,
                actor: { kind: 'system' },
                action: 'retention.deleted',
                target: { type: 'site', id: site.siteId },
                details: {
                  cutoff: cutoff.toISOString(),
                  conversations: deleted.conversations.length,
                  messages: deleted.messages,
                  visitors,
                },
              }),
            );
          }
          return { ...deleted, visitors };
        }),
      );
      total.conversations += batch.conversations.length;
      total.messages += batch.messages;
      total.visitors += batch.visitors;
      for (const conversation of batch.conversations) {
        await jobStep('announce deletions', () =>
          this.conversations.announceDeleted(site.siteId, conversation.id, conversation.visitorId),
        );
      }
      if (batch.conversations.length + batch.visitors === 0) break;
      await options.afterBatch?.();
      if (options.signal?.aborted) break;
      if (batch.conversations.length < RETENTION_BATCH && batch.visitors < RETENTION_BATCH) break;
    }
    if (total.conversations + total.visitors > 0) {
      this.logger.log(
        `site ${site.siteId}: deleted ${total.conversations} conversations, ${total.messages} messages, ${total.visitors} visitors`,
      );
    }
    return total;
  }
}
