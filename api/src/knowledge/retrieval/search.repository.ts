import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SearchLanguage } from '../language';
import {
  BM25_TERM,
  IN_TITLE,
  QUESTION_FILLER,
  QUESTION_LEXEMES_IN_CHUNK,
  QUESTION_TERMS,
  TITLE_WEIGHT,
  WEIGHTED_TF,
} from './ranking-sql';

export interface PassageRow {
  chunk_id: string;
  source_id: string;
  title: string;
  url: string | null;
  language: SearchLanguage;
  heading: string;
  content: string;
  /** 0–1: the share of the question (by word rarity) the chunk covers, or its similarity by meaning. */
  score: number;
  /** The BM25 score the chunk ranked by (0 for a chunk found by meaning only). */
  bm25: number;
}

export interface UnansweredRow {
  question_id: string;
  conversation_id: string;
  question: string;
  confidence: number;
  asked_at: Date;
  reviewed_version: number | null;
  content_version: number;
}

export interface QuestionReview {
  questionId: string;
  state: 'open' | 'answered';
  confidence: number;
}

export interface QueryVector {
  /** pgvector text form of the question's embedding. */
  literal: string;
  /** Only vectors of the same model are comparable. */
  model: string;
}

/** Per kind of match: ranking more than this costs time and never changes the top few. */
const SEARCH_CANDIDATES = 50;
/**
 * Postings (chunks per word, summed from the rarest word up) scored exactly per search: every
 * chunk holding a rarer word is a candidate; measured in bench/retrieval.mjs.
 */
const CANDIDATE_POSTINGS = 2_000;
/**
 * Even the rarest word may be in most chunks of a big site: then `ts_rank` (cheap) picks this many
 * to score exactly.
 */
const CANDIDATES_SCORED = 200;
/**
 * A question with a word the site never uses is probably about something the site lacks. A number
 * the site never uses is not: "does it run on node 22" where the content says "18 or higher".
 */
const UNKNOWN_WORD_FACTOR = 0.5;
/** Reciprocal rank fusion's constant: the usual 60 keeps a single list's top from dominating. */
const RRF_K = 60;

/**
 * The share of the question's words, by rarity, a chunk's `matches` hold (joined with
 * `group_weights` as `w`): the confidence of an answer from it.
 */
const COVERAGE = `sum(w.idf) / (SELECT sum(idf) FROM group_weights)
                  * (CASE WHEN EXISTS (SELECT 1 FROM group_weights WHERE df = 0 AND word) THEN ${UNKNOWN_WORD_FACTOR} ELSE 1 END)`;

/**
 * Retrieval: the search over a site's chunks, the passages of a document, the words of a question
 * each text holds, and the questions the content does not answer. Every query names the site.
 */
@Injectable()
export class SearchRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Okapi BM25 over the site's chunks (see `ranking-sql.ts`), exact for every candidate. The
   * candidates come from the GIN index: the chunks holding the question's rarest words, taking
   * words from the rarest up until their postings would pass `CANDIDATE_POSTINGS` (a word most
   * chunks contain cannot decide between them, and ranking them all costs time). `coverage` is the
   * share of the question's words (by rarity) the chunk holds: the confidence of an answer from it.
   *
   * With a query vector (pgvector and an embedding model), the nearest chunks by cosine similarity
   * join, and the two rankings are fused by reciprocal rank: a paraphrase the words miss is found
   * by meaning, without adding scores of different scales.
   */
  async search(siteId: string, question: string, limit: number, vector?: QueryVector): Promise<PassageRow[]> {
    // Without a query vector the ranking is BM25's alone: no fusion to plan or run.
    const hits = vector
      ? `vector_hits AS (
         SELECT c.id, greatest(1 - (c.embedding <=> $5::vector), 0)::float8 AS similarity,
                row_number() OVER (ORDER BY c.embedding <=> $5::vector, c.id) AS vector_rank
           FROM knowledge_chunks c
          WHERE c.site_id = $1 AND c.embedding_model = $6
          ORDER BY c.embedding <=> $5::vector LIMIT ${SEARCH_CANDIDATES}),
       hits AS (
         SELECT coalesce(t.id, v.id) AS id, coalesce(t.bm25, 0) AS bm25,
                greatest(coalesce(t.coverage, 0), coalesce(v.similarity, 0)) AS score,
                coalesce(1.0 / (${RRF_K} + t.text_rank), 0) + coalesce(1.0 / (${RRF_K} + v.vector_rank), 0) AS fused
           FROM text_hits t FULL JOIN vector_hits v ON v.id = t.id)`
      : `hits AS (SELECT id, bm25, coverage AS score, bm25 AS fused FROM text_hits)`;
    return await this.dataSource.query<PassageRow[]>(
      `WITH ${QUESTION_TERMS},
       chosen AS (
         SELECT g FROM (SELECT g, df, sum(df) OVER (ORDER BY df, g) AS running FROM group_weights WHERE df > 0) x
          WHERE running <= ${CANDIDATE_POSTINGS} OR running = df),
       candidate_query AS (
         SELECT string_agg(quote_literal(lexeme), ' | ')::tsquery AS query,
                (SELECT array_agg(lexeme) FROM terms WHERE df > 0) AS lexemes
           FROM terms
          WHERE df > 0 AND g IN (SELECT g FROM chosen) AND strpos(lexeme, chr(92)) = 0),
       candidates AS (
         SELECT c.id, c.search, c.length FROM candidate_query q, knowledge_chunks c
          WHERE q.query IS NOT NULL AND c.site_id = $1 AND c.search @@ q.query
          ORDER BY ts_rank(c.search, q.query) DESC LIMIT ${CANDIDATES_SCORED}),
       matches AS (
         SELECT c.id, c.length, t.g, max(${WEIGHTED_TF}) AS tf, bool_or(${IN_TITLE}) AS in_title
           FROM candidates c, candidate_query q,
                LATERAL ${QUESTION_LEXEMES_IN_CHUNK} AS u
           JOIN terms t ON t.lexeme = u.lexeme
          GROUP BY c.id, c.length, t.g),
       text_scores AS (
         SELECT m.id,
                sum(w.idf * (${BM25_TERM} + CASE WHEN m.in_title THEN ${TITLE_WEIGHT} ELSE 0 END)) AS bm25,
                ${COVERAGE} AS coverage
           FROM matches m JOIN group_weights w ON w.g = m.g CROSS JOIN stats s
          GROUP BY m.id),
       text_hits AS (
         SELECT id, bm25, coverage, row_number() OVER (ORDER BY bm25 DESC, id) AS text_rank
           FROM text_scores ORDER BY bm25 DESC, id LIMIT ${SEARCH_CANDIDATES}),
       ${hits}
       SELECT c.id AS chunk_id, d.source_id, d.title, d.url, d.language, c.heading, c.content,
              h.score::float8 AS score, h.bm25::float8 AS bm25
         FROM hits h
         JOIN knowledge_chunks c ON c.id = h.id
         JOIN knowledge_documents d ON d.id = c.document_id AND d.site_id = c.site_id
        ORDER BY h.fused DESC, h.bm25 DESC, c.id LIMIT $4`,
      vector
        ? [siteId, question, QUESTION_FILLER, limit, vector.literal, vector.model]
        : [siteId, question, QUESTION_FILLER, limit],
    );
  }

  /**
   * The passages of the document holding chunk `chunkId`, best first for the question, by BM25 over
   * the question's words that are not in the document's title: the title's words chose the
   * document, inside it every passage shares them, and how often a passage repeats the product's
   * name says nothing about whether it answers ("node-fetch … cookies" → "Handling cookies").
   */
  async documentPassages(
    siteId: string,
    chunkId: string,
    question: string,
    limit: number,
  ): Promise<PassageRow[]> {
    return await this.dataSource.query<PassageRow[]>(
      `WITH ${QUESTION_TERMS},
       document AS (SELECT document_id FROM knowledge_chunks WHERE site_id = $1 AND id = $4),
       question_lexemes AS (SELECT array_agg(lexeme) AS lexemes FROM terms WHERE df > 0),
       matches AS (
         SELECT c.id, c.length, t.g, max(${WEIGHTED_TF}) AS tf, bool_or(${IN_TITLE}) AS in_title
           FROM document, question_lexemes q, knowledge_chunks c,
                LATERAL ${QUESTION_LEXEMES_IN_CHUNK} AS u
           JOIN terms t ON t.lexeme = u.lexeme
          WHERE c.site_id = $1 AND c.document_id = document.document_id
          GROUP BY c.id, c.length, t.g),
       scores AS (
         SELECT m.id, sum(CASE WHEN m.in_title THEN 0 ELSE w.idf * ${BM25_TERM} END) AS bm25, ${COVERAGE} AS coverage
           FROM matches m JOIN group_weights w ON w.g = m.g CROSS JOIN stats s
          GROUP BY m.id)
       SELECT c.id AS chunk_id, d.source_id, d.title, d.url, d.language, c.heading, c.content,
              s.coverage::float8 AS score, s.bm25::float8 AS bm25
         FROM scores s
         JOIN knowledge_chunks c ON c.id = s.id
         JOIN knowledge_documents d ON d.id = c.document_id AND d.site_id = c.site_id
        ORDER BY s.bm25 DESC, c.ordinal LIMIT $5`,
      [siteId, question, QUESTION_FILLER, chunkId, limit],
    );
  }

  /**
   * Which of the question's word groups each text holds (stemmed in its own language), with each
   * group's weight: what the answer's sentences are chosen by.
   */
  async questionMatches(
    siteId: string,
    question: string,
    texts: { text: string; language: SearchLanguage }[],
  ): Promise<{ weights: Record<string, number>; covered: number[][] }> {
    if (texts.length === 0) return { weights: {}, covered: [] };
    const rows = await this.dataSource.query<{ covered: number[]; weights: Record<string, number> | null }[]>(
      `WITH ${QUESTION_TERMS},
       texts AS (
         SELECT ordinal, to_tsvector(language::regconfig, knowledge_search_text(text)) AS search
           FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS x (text, language, ordinal))
       SELECT ARRAY(SELECT DISTINCT t.g::int FROM terms t, unnest(x.search) u WHERE u.lexeme = t.lexeme ORDER BY 1) AS covered,
              (SELECT json_object_agg(g, idf) FROM group_weights) AS weights
         FROM texts x ORDER BY x.ordinal`,
      [
        siteId,
        question,
        QUESTION_FILLER,
        texts.map((entry) => entry.text),
        texts.map((entry) => entry.language),
      ],
    );
    return { weights: rows[0]?.weights ?? {}, covered: rows.map((row) => row.covered) };
  }
  /**
   * Visitor questions the assistant answered below `threshold` that nobody dismissed and no later
   * content answered, newest first; with the site's content version and the version each was last
   * re-checked at (`null`: never).
   */
  async unanswered(siteId: string, threshold: number, limit: number): Promise<UnansweredRow[]> {
    return await this.dataSource.query<UnansweredRow[]>(
      `SELECT q.id AS question_id, q.conversation_id, q.body AS question,
              coalesce(r.confidence, a.confidence)::float8 AS confidence, q.created_at AS asked_at,
              r.content_version::float8 AS reviewed_version,
              (SELECT coalesce(max(version), 0) FROM knowledge_site_stats WHERE site_id = $1)::float8 AS content_version
         FROM messages a
         JOIN messages q ON q.conversation_id = a.conversation_id AND q.site_id = a.site_id
                        AND q.seq = a.seq - 1 AND q.author = 'visitor'
         LEFT JOIN knowledge_question_reviews r ON r.site_id = q.site_id AND r.message_id = q.id
        WHERE a.site_id = $1 AND a.author = 'assistant' AND a.confidence < $2 AND coalesce(r.state, 'open') = 'open'
        ORDER BY q.created_at DESC LIMIT $3`,
      [siteId, threshold, limit],
    );
  }

  /** Records what re-checking questions against the content at `version` found. */
  async reviewQuestions(siteId: string, reviews: QuestionReview[], version: number): Promise<void> {
    if (reviews.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO knowledge_question_reviews (site_id, message_id, state, confidence, content_version)
       SELECT $1, r.id, r.state, r.confidence, $5
         FROM unnest($2::uuid[], $3::text[], $4::float8[]) AS r (id, state, confidence)
       ON CONFLICT (site_id, message_id) DO UPDATE
         SET state = excluded.state, confidence = excluded.confidence,
             content_version = excluded.content_version, reviewed_at = now()
         WHERE knowledge_question_reviews.state <> 'dismissed'`,
      [
        siteId,
        reviews.map((review) => review.questionId),
        reviews.map((review) => review.state),
        reviews.map((review) => review.confidence),
        version,
      ],
    );
  }

  /** Takes a visitor question off the unanswered list; `false` when the site has no such question. */
  async dismissQuestion(siteId: string, questionId: string): Promise<boolean> {
    const rows = await this.dataSource.query<{ message_id: string }[]>(
      `WITH dismissed AS (
         INSERT INTO knowledge_question_reviews (site_id, message_id, state, confidence, content_version)
         SELECT m.site_id, m.id, 'dismissed', 0,
                (SELECT coalesce(max(version), 0) FROM knowledge_site_stats WHERE site_id = $1)
           FROM messages m WHERE m.site_id = $1 AND m.id = $2 AND m.author = 'visitor'
         ON CONFLICT (site_id, message_id) DO UPDATE SET state = 'dismissed', reviewed_at = now()
         RETURNING message_id)
       SELECT message_id FROM dismissed`,
      [siteId, questionId],
    );
    return rows.length > 0;
  }
}
