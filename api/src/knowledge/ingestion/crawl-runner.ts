import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../../config/config.module';
import { describeFailure } from '../../database/describe-failure';
import { TransactionRunner } from '../../database/transactions';
import { crawl, type CrawledPage, CRAWLER_NAME } from './crawler';
import { EmbeddingBackfill } from './embedding-backfill';
import { indexDocument } from './indexer';
import { KnowledgeRepository, type SourceRow } from '../knowledge.repository';

/** Per request: a slow page must not hold a crawl for long. */
const PAGE_TIMEOUT_MS = 10_000;
const PAGE_MAX_BYTES = 5 * 1024 * 1024;
const CONCURRENT_REQUESTS = 2;

/** The source was deleted while it was being crawled. */
export class SourceGoneError extends Error {}
/** This process is shutting down: the crawl goes back to the queue for whoever runs next. */
class CrawlInterruptedError extends Error {}

/** A crawl's claim lasts this long past its last stored page: far more than one page can take. */
const CLAIM_LEASE_MS = 2 * 60_000;
/** How often each replica looks for crawls to run: queued, abandoned, or due for a recrawl. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Runs crawls one after another in the background. Any replica may run any crawl, one replica at a
 * time: a crawl is claimed in the database and the claim is renewed with each stored page. Every
 * minute each replica sweeps for queued crawls, crawls abandoned by a replica that died, and crawls
 * due for their scheduled recrawl (`CRAWL_RECRAWL_DAYS`); the claim decides which replica runs each.
 * Each page is stored as it arrives, so progress shows while a crawl runs.
 */
@Injectable()
export class CrawlRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Crawler');
  private queue: Promise<void> = Promise.resolve();
  /** Sources in this process's queue, so a sweep does not queue them twice. */
  private readonly pending = new Set<string>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly transactions: TransactionRunner,
    private readonly embeddingBackfill: EmbeddingBackfill,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => {
        this.logger.error(`crawl sweep failed: ${describeFailure(error)}`);
      });
    }, SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.queue;
  }

  /** Queues recrawls that fell due, then every crawl waiting for a crawler. */
  async sweep(): Promise<void> {
    if (this.stopping) return;
    const recrawlDays = this.config.crawlRecrawlDays;
    if (recrawlDays > 0) await this.knowledge.queueDueRecrawls(recrawlDays);
    for (const source of await this.knowledge.claimableCrawls()) this.enqueue(source.site_id, source.id);
  }

  enqueue(siteId: string, sourceId: string): void {
    if (this.pending.has(sourceId)) return;
    this.pending.add(sourceId);
    this.queue = this.queue.then(() =>
      this.run(siteId, sourceId)
        .catch((error: unknown) => {
          this.logger.error(`crawl failed: ${describeFailure(error)}`);
        })
        .finally(() => this.pending.delete(sourceId)),
    );
  }

  /** Settles once every crawl queued so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await this.queue;
  }

  private async run(siteId: string, sourceId: string): Promise<void> {
    const source = await this.knowledge.findSource(siteId, sourceId);
    if (!source?.url || this.stopping) return;
    if (!(await this.knowledge.claimCrawl(sourceId, CLAIM_LEASE_MS))) return;
    const startedAt = new Date();
    try {
      await crawl(
        {
          startUrl: source.url,
          allowedOrigins: await this.knowledge.siteOrigins(siteId),
          pageLimit: source.page_limit ?? 200,
          depthLimit: source.depth_limit ?? 3,
          concurrency: CONCURRENT_REQUESTS,
          fetch: {
            timeoutMs: PAGE_TIMEOUT_MS,
            maxBytes: PAGE_MAX_BYTES,
            userAgent: `${CRAWLER_NAME}/1.0 (+${this.config.publicUrl})`,
            allowPrivateNetworks: this.config.crawlPrivateNetworks,
          },
        },
        (page) => this.store(source, page),
      );
      await this.knowledge.deleteDocumentsBefore(sourceId, startedAt);
      await this.knowledge.refreshCounts(null, sourceId);
      await this.knowledge.finishCrawl(sourceId, 'ready', null);
    } catch (error) {
      if (error instanceof SourceGoneError) return;
      if (error instanceof CrawlInterruptedError) {
        await this.knowledge.releaseClaim(sourceId);
        return;
      }
      await this.knowledge.refreshCounts(null, sourceId);
      await this.knowledge.finishCrawl(
        sourceId,
        'failed',
        error instanceof Error ? error.message : 'Crawl failed',
      );
    }
  }

  /** One page, in one transaction; unchanged pages keep their chunks. */
  private async store(source: SourceRow, page: CrawledPage): Promise<void> {
    if (this.stopping) throw new CrawlInterruptedError();
    await this.knowledge.renewClaim(source.id, CLAIM_LEASE_MS);
    await this.transactions.run(async (tx) => {
      if (!(await this.knowledge.lockSource(tx, source.site_id, source.id))) throw new SourceGoneError();
      const previous = await this.knowledge.findDocumentByUrl(tx, source.id, page.url);
      if (page.outcome !== 'page') {
        await this.knowledge.replaceDocument(
          tx,
          {
            ...this.documentOf(source, page.url),
            title: page.title,
            language: 'english',
            status: page.outcome,
            detail: page.detail,
            contentHash: null,
          },
          [],
        );
        return;
      }
      const indexed = indexDocument(page.document);
      if (previous?.content_hash === indexed.contentHash) {
        await this.knowledge.markUnchanged(tx, previous.id);
        return;
      }
      await this.knowledge.replaceDocument(
        tx,
        {
          ...this.documentOf(source, page.url),
          title: indexed.title,
          language: indexed.language,
          status: indexed.chunks.length > 0 ? 'indexed' : 'skipped',
          detail: indexed.chunks.length > 0 ? null : 'No text found on the page',
          contentHash: indexed.contentHash,
        },
        indexed.chunks,
      );
    });
    await this.knowledge.refreshCounts(null, source.id);
    this.embeddingBackfill.kick();
  }

  private documentOf(source: SourceRow, url: string) {
    return { siteId: source.site_id, sourceId: source.id, url };
  }
}
