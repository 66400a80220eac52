import {
  CRAWL_DEPTH_LIMIT_DEFAULT,
  CRAWL_PAGE_LIMIT_DEFAULT,
  type CreateKnowledgeSourceRequest,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  type Page,
  type PageQuery,
  type Passage,
  type UnansweredQuestion,
} from '@cloop/contracts';
import { Injectable, Logger } from '@nestjs/common';

import type { SiteScope } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { withoutEmails } from '../common/without-emails';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import { TransactionRunner } from '../database/transactions';
import { normalizeOrigin } from '../sites/allowed-origin';
import { CrawlRunner } from './crawl-runner';
import { type IndexedContent, indexDocument } from './indexer';
import { mapDocument, mapPassage, mapSource } from './knowledge.mapper';
import { EmbeddingBackfill } from './embedding-backfill';
import { toVectorLiteral } from './embedding-client';
import { detectLanguage, type SearchLanguage } from './language';
import { markdownDocument } from './markdown';
import {
  KnowledgeRepository,
  type QueryVector,
  type QuestionReview,
  type SourceRow,
} from './knowledge.repository';
import { extractUpload, type UploadedFile } from './upload-extractor';
import { VectorSupport } from './vector-support';

/** Which of a question's word groups each text holds, and each group's weight. */
export interface QuestionMatches {
  weights: Record<string, number>;
  covered: number[][];
}

/** A visitor waits for the answer: a slow provider must not hold it for long. */
const QUERY_EMBEDDING_TIMEOUT_MS = 5_000;

/**
 * Below this, an answer is not supported by the site's content: the assistant declines and the
 * question is listed for the team. A passage's score is the share of the question's words, weighed
 * by rarity, that it holds, halved when the question uses a word the site never does (a name or a
 * thing the content does not talk about): chosen on the tuning half of bench/answer-quality.
 */
export const CONFIDENT_SCORE = 0.35;
/**
 * The confidence of an answer is the best score among this many of the first passages: BM25 may
 * rank a passage with a rarer word first while the next one holds the whole question (the rank
 * decides where to quote from, not whether the content answers at all).
 */
const CONFIDENCE_PASSAGES = 5;

/** 0–1: how well the site's content covers the question, from its search results (best first). */
export function confidenceOf(passages: Passage[]): number {
  return Math.max(0, ...passages.slice(0, CONFIDENCE_PASSAGES).map((passage) => passage.score));
}
const UNANSWERED_LIMIT = 100;

/** A passage with the BM25 score it ranked by among its document's passages. */
export interface RankedPassage extends Passage {
  rank: number;
}

@Injectable()
export class KnowledgeService {
  private readonly logger = new Logger('Knowledge');

  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly crawls: CrawlRunner,
    private readonly transactions: TransactionRunner,
    private readonly vectors: VectorSupport,
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

  async search(siteId: string, query: string, limit: number): Promise<Passage[]> {
    const vector = await this.queryVector(query);
    if (vector) {
      try {
        return (await this.knowledge.search(siteId, query, limit, vector)).map(mapPassage);
      } catch (error) {
        // e.g. the provider now returns vectors of another length than the stored ones.
        this.logger.warn(
          `vector search failed (${(error as { code?: string }).code ?? 'error'}): words only`,
        );
      }
    }
    return (await this.knowledge.search(siteId, query, limit)).map(mapPassage);
  }

  /**
   * The passages of `passage`'s document, best first for the question (see the repository), each
   * with its BM25 score there (`rank`: only comparable within the one document and question).
   */
  async documentPassages(
    siteId: string,
    passage: Passage,
    question: string,
    limit: number,
  ): Promise<RankedPassage[]> {
    return (await this.knowledge.documentPassages(siteId, passage.chunkId, question, limit)).map((row) => ({
      ...mapPassage(row),
      rank: row.bm25,
    }));
  }

  /**
   * For each text (a sentence of a passage), the question's word groups it holds; and each group's
   * weight (its rarity in the site). Texts are stemmed in the language of their passage.
   */
  async questionMatches(
    siteId: string,
    question: string,
    texts: { text: string; passage: Passage }[],
  ): Promise<QuestionMatches> {
    const languages = new Map<string, SearchLanguage>();
    const languageOf = (passage: Passage): SearchLanguage => {
      let language = languages.get(passage.chunkId);
      if (!language) languages.set(passage.chunkId, (language = detectLanguage(passage.content)));
      return language;
    };
    return await this.knowledge.questionMatches(
      siteId,
      question,
      texts.map(({ text, passage }) => ({ text, language: languageOf(passage) })),
    );
  }

  /** The question's embedding, or `null` (no vectors here, or the provider is slow or down). */
  private async queryVector(query: string): Promise<QueryVector | null> {
    const client = this.vectors.embeddings;
    if (!client || query.trim() === '') return null;
    try {
      const [vector] = await client.embed([withoutEmails(query)], QUERY_EMBEDDING_TIMEOUT_MS);
      return vector ? { literal: toVectorLiteral(vector), model: client.model } : null;
    } catch (error) {
      this.logger.warn(
        `embedding provider unavailable (${error instanceof Error ? error.name : 'error'}): words only`,
      );
      return null;
    }
  }

  /**
   * Questions the assistant could not answer, re-checked against the content whenever it changed
   * since their last check: a question the content now answers (an "Answer it" entry, a new page)
   * leaves the list.
   */
  async unanswered(scope: SiteScope): Promise<UnansweredQuestion[]> {
    const rows = await this.knowledge.unanswered(scope.siteId, CONFIDENT_SCORE, UNANSWERED_LIMIT);
    const version = rows[0]?.content_version ?? 0;
    const reviews: QuestionReview[] = [];
    for (const row of rows) {
      if (row.reviewed_version !== null && row.reviewed_version >= version) continue;
      const confidence = confidenceOf(await this.search(scope.siteId, row.question, CONFIDENCE_PASSAGES));
      reviews.push({
        questionId: row.question_id,
        state: confidence >= CONFIDENT_SCORE ? 'answered' : 'open',
        confidence,
      });
    }
    await this.knowledge.reviewQuestions(scope.siteId, reviews, version);
    const reviewed = new Map(reviews.map((review) => [review.questionId, review]));
    return rows
      .filter((row) => reviewed.get(row.question_id)?.state !== 'answered')
      .map((row) => ({
        id: row.question_id,
        conversationId: row.conversation_id,
        question: row.question,
        confidence: reviewed.get(row.question_id)?.confidence ?? row.confidence,
        askedAt: row.asked_at.toISOString(),
      }));
  }

  /** An admin takes a question off the list (not something the site should answer). */
  async dismissUnanswered(scope: SiteScope, questionId: string): Promise<void> {
    if (!(await this.knowledge.dismissQuestion(scope.siteId, questionId))) {
      throw new DomainError('QUESTION_NOT_FOUND', 'No such visitor question on this site');
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
