import {
  CRAWL_DEPTH_LIMIT_DEFAULT,
  CRAWL_PAGE_LIMIT_DEFAULT,
  type CreateKnowledgeSourceRequest,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  type Page,
  type PageQuery,
} from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { SiteScope } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import { TransactionRunner } from '../database/transactions';
import { normalizeOrigin } from '../sites/allowed-origin';
import { CrawlRunner } from './ingestion/crawl-runner';
import { type IndexedContent, indexDocument } from './ingestion/indexer';
import { mapDocument, mapSource } from './knowledge.mapper';
import { EmbeddingBackfill } from './ingestion/embedding-backfill';
import { markdownDocument } from './ingestion/markdown';
import { KnowledgeRepository, type SourceRow } from './knowledge.repository';
import { extractUpload, type UploadedFile } from './ingestion/upload-extractor';

/** A site's knowledge sources: added (crawl, upload, an answered question), listed, re-crawled, removed. */
@Injectable()
export class KnowledgeService {
  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly crawls: CrawlRunner,
    private readonly transactions: TransactionRunner,
    private readonly embeddingBackfill: EmbeddingBackfill,
  ) {}

  async list(scope: SiteScope, query: PageQuery): Promise<Page<KnowledgeSource>> {
    const limit = pageLimit(query);
    const rows = await this.knowledge.listSources(scope.siteId, decodeCursor(query.cursor), limit);
    return toPage(rows, limit, mapSource, (row) => ({ createdAt: row.created_at, id: row.id }));
  }

  async get(scope: SiteScope, sourceId: string): Promise<KnowledgeSourceDetail> {
    const source = await this.require(scope, sourceId);
    const documents = await this.knowledge.listDocuments(scope.siteId, sourceId);
    return { ...mapSource(source), documents: documents.map(mapDocument) };
  }

  async create(scope: SiteScope, request: CreateKnowledgeSourceRequest): Promise<KnowledgeSource> {
    return request.type === 'qa'
      ? this.addQuestionAndAnswer(scope, request.question.trim(), request.answer.trim())
      : this.addCrawl(scope, request.url, request.pageLimit, request.depthLimit);
  }

  /** Crawls again; pages whose text did not change keep their chunks. */
  async recrawl(scope: SiteScope, sourceId: string): Promise<KnowledgeSource> {
    const source = await this.require(scope, sourceId);
    if (source.type !== 'crawl')
      throw new DomainError('NOT_A_CRAWL', 'Only crawled sources can be crawled again');
    if (source.status !== 'queued' && source.status !== 'running') {
      await this.knowledge.setStatus(sourceId, 'queued');
    }
    this.crawls.enqueue(scope.siteId, sourceId);
    return mapSource(await this.require(scope, sourceId));
  }

  async upload(scope: SiteScope, file: UploadedFile): Promise<KnowledgeSource> {
    const indexed = indexDocument(await extractUpload(file));
    return this.addIndexedSource(scope, 'upload', file.filename, indexed);
  }

  async delete(scope: SiteScope, sourceId: string): Promise<void> {
    if (!(await this.knowledge.deleteSource(scope.siteId, sourceId))) {
      throw new DomainError('SOURCE_NOT_FOUND', 'Knowledge source not found');
    }
  }

  private addQuestionAndAnswer(scope: SiteScope, question: string, answer: string): Promise<KnowledgeSource> {
    // The question is the heading of its answer: a visitor asking it in other words still finds it.
    const indexed = indexDocument(markdownDocument(question, `# ${question}\n\n${answer}`));
    return this.addIndexedSource(scope, 'qa', question, indexed);
  }

  /** A source of one document, indexed at once (an upload, a question and answer). */
  private async addIndexedSource(
    scope: SiteScope,
    type: 'upload' | 'qa',
    title: string,
    indexed: IndexedContent,
  ): Promise<KnowledgeSource> {
    const hasText = indexed.chunks.length > 0;
    const source = await this.transactions.run(async (tx) => {
      const created = await this.knowledge.insertSource(tx, {
        site_id: scope.siteId,
        type,
        title,
        url: null,
        status: 'ready',
        page_limit: null,
        depth_limit: null,
      });
      await this.knowledge.replaceDocument(
        tx,
        {
          siteId: scope.siteId,
          sourceId: created.id,
          url: null,
          title: indexed.title,
          language: indexed.language,
          status: hasText ? 'indexed' : 'skipped',
          detail: hasText ? null : 'No text found in the file',
          contentHash: indexed.contentHash,
        },
        indexed.chunks,
      );
      await this.knowledge.refreshCounts(tx, created.id);
      return created;
    });
    this.embeddingBackfill.kick();
    return mapSource(await this.require(scope, source.id));
  }

  private async addCrawl(
    scope: SiteScope,
    url: string,
    pageLimit = CRAWL_PAGE_LIMIT_DEFAULT,
    depthLimit = CRAWL_DEPTH_LIMIT_DEFAULT,
  ): Promise<KnowledgeSource> {
    const origin = normalizeOrigin(new URL(url).origin);
    const allowed = await this.knowledge.siteOrigins(scope.siteId);
    if (!origin || !allowed.includes(origin)) {
      throw new DomainError(
        'CRAWL_URL_NOT_ALLOWED',
        "The crawl can only start on one of the site's allowed origins; add the origin to the site first",
      );
    }
    const source = await this.knowledge.insertSource(null, {
      site_id: scope.siteId,
      type: 'crawl',
      title: url,
      url,
      status: 'queued',
      page_limit: pageLimit,
      depth_limit: depthLimit,
    });
    this.crawls.enqueue(scope.siteId, source.id);
    return mapSource(source);
  }

  private async require(scope: SiteScope, sourceId: string): Promise<SourceRow> {
    const source = await this.knowledge.findSource(scope.siteId, sourceId);
    if (!source) throw new DomainError('SOURCE_NOT_FOUND', 'Knowledge source not found');
    return source;
  }
}
