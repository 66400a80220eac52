import type { Passage, UnansweredQuestion } from '@cloop/contracts';
import { Injectable, Logger } from '@nestjs/common';

import type { SiteScope } from '../../access/access-policy';
import { DomainError } from '../../common/domain-error';
import { withoutEmails } from '../../common/without-emails';
import { toVectorLiteral } from '../embedding-client';
import { mapPassage } from '../knowledge.mapper';
import { detectLanguage, type SearchLanguage } from '../language';
import { VectorSupport } from '../vector-support';
import { type QueryVector, type QuestionReview, SearchRepository } from './search.repository';

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

/**
 * Retrieval: what the site's content says about a question (the search API and the assistant),
 * and which visitor questions it does not answer.
 */
@Injectable()
export class KnowledgeSearch {
  private readonly logger = new Logger('Knowledge');

  constructor(
    private readonly knowledge: SearchRepository,
    private readonly vectors: VectorSupport,
  ) {}

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
}
