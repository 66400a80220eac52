import type { KnowledgeDocumentStatus, KnowledgeSourceStatus, KnowledgeSourceType } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import type { Chunk } from './chunker';

export interface SourceRow {
  id: string;
  site_id: string;
  type: KnowledgeSourceType;
  title: string;
  url: string | null;
  status: KnowledgeSourceStatus;
  error: string | null;
  page_limit: number | null;
  depth_limit: number | null;
  document_count: number;
  chunk_count: number;
  created_at: Date;
  updated_at: Date;
  crawled_at: Date | null;
}

export interface DocumentRow {
  id: string;
  url: string | null;
  title: string;
  status: KnowledgeDocumentStatus;
  detail: string | null;
  content_hash: string | null;
  chunk_count: number;
  fetched_at: Date;
}

export interface PassageRow {
  chunk_id: string;
  source_id: string;
  title: string;
  url: string | null;
  heading: string;
  content: string;
  score: number;
}

export interface NewDocument {
  siteId: string;
  sourceId: string;
  url: string | null;
  title: string;
  status: KnowledgeDocumentStatus;
  detail: string | null;
  contentHash: string | null;
}

export interface QueryVector {
  /** pgvector text form of the question's embedding. */
  literal: string;
  /** Only vectors of the same model are comparable. */
  model: string;
}

/** Per kind of match: ranking more than this costs time and never changes the top few. */
const SEARCH_CANDIDATES = 50;
/** Chunks ranked precisely: plenty for the top few, measured in bench/retrieval.mjs. */
const TEXT_PRESELECTED = 200;

const SOURCE_COLUMNS = `id, site_id, type, title, url, status, error, page_limit, depth_limit, document_count,
  chunk_count, created_at, updated_at, crawled_at`;

/**
 * Every query names the site: one site's knowledge never answers another's visitors.
 *
 * A raw UPDATE or DELETE … RETURNING comes back from TypeORM as `[rows, count]`, so statements whose
 * rows are read select them from a CTE instead.
 */
@Injectable()
export class KnowledgeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertSource(
    tx: Tx | null,
    source: Pick<SourceRow, 'site_id' | 'type' | 'title' | 'url' | 'status' | 'page_limit' | 'depth_limit'>,
  ): Promise<SourceRow> {
    const [row] = await (tx ?? this.dataSource).query<SourceRow[]>(
      `INSERT INTO knowledge_sources (site_id, type, title, url, status, page_limit, depth_limit)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${SOURCE_COLUMNS}`,
      [
        source.site_id,
        source.type,
        source.title,
        source.url,
        source.status,
        source.page_limit,
        source.depth_limit,
      ],
    );
    if (!row) throw new Error('source insert returned no row');
    return row;
  }

  async listSources(siteId: string, after: Keyset | null, limit: number): Promise<SourceRow[]> {
    return await this.dataSource.query<SourceRow[]>(
      `SELECT ${SOURCE_COLUMNS} FROM knowledge_sources
        WHERE site_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [siteId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
  }

  async findSource(siteId: string, sourceId: string): Promise<SourceRow | null> {
    const [row] = await this.dataSource.query<SourceRow[]>(
      `SELECT ${SOURCE_COLUMNS} FROM knowledge_sources WHERE site_id = $1 AND id = $2`,
      [siteId, sourceId],
    );
    return row ?? null;
  }

  /**
   * Crawls waiting for a crawler: queued ones, and running ones whose crawler stopped renewing its
   * claim (a replica that crashed or was killed).
   */
  async claimableCrawls(): Promise<{ id: string; site_id: string }[]> {
    return await this.dataSource.query<{ id: string; site_id: string }[]>(
      `SELECT id, site_id FROM knowledge_sources
        WHERE type = 'crawl'
          AND (status = 'queued' OR (status = 'running' AND (claimed_until IS NULL OR claimed_until < now())))
        ORDER BY created_at`,
    );
  }

  /**
   * Queues crawls last finished more than `days` ago. The update is the decision: with several
   * replicas sweeping at once, each source is queued by one of them.
   */
  async queueDueRecrawls(days: number): Promise<{ id: string; site_id: string }[]> {
    return await this.dataSource.query<{ id: string; site_id: string }[]>(
      `WITH queued AS (
         UPDATE knowledge_sources SET status = 'queued', updated_at = now()
          WHERE type = 'crawl' AND status IN ('ready', 'failed')
            AND crawled_at < now() - make_interval(days => $1)
          RETURNING id, site_id)
       SELECT id, site_id FROM queued`,
      [days],
    );
  }

  /**
   * Takes a crawl for this process until `leaseMs` from now: `false` when it is gone, finished, or
   * another crawler holds it. Only one replica ever runs a crawl at a time.
   */
  async claimCrawl(sourceId: string, leaseMs: number): Promise<boolean> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `WITH claimed AS (
         UPDATE knowledge_sources
            SET status = 'running', error = NULL, updated_at = now(),
                claimed_until = now() + make_interval(secs => $2::float8 / 1000)
          WHERE id = $1 AND type = 'crawl'
            AND (status = 'queued' OR (status = 'running' AND (claimed_until IS NULL OR claimed_until < now())))
          RETURNING id)
       SELECT id FROM claimed`,
      [sourceId, leaseMs],
    );
    return rows.length > 0;
  }

  async renewClaim(sourceId: string, leaseMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE knowledge_sources SET claimed_until = now() + make_interval(secs => $2::float8 / 1000)
        WHERE id = $1 AND status = 'running'`,
      [sourceId, leaseMs],
    );
  }

  /** Hands an interrupted crawl back (shutdown): another replica, or this one at boot, resumes it. */
  async releaseClaim(sourceId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE knowledge_sources SET status = 'queued', claimed_until = NULL, updated_at = now()
        WHERE id = $1 AND status = 'running'`,
      [sourceId],
    );
  }

  async finishCrawl(sourceId: string, status: 'ready' | 'failed', error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE knowledge_sources
          SET status = $2, error = $3, claimed_until = NULL, crawled_at = now(), updated_at = now()
        WHERE id = $1`,
      [sourceId, status, error],
    );
  }

  /** Holds the source while a page of it is stored; `false` when it was deleted meanwhile. */
  async lockSource(tx: Tx, siteId: string, sourceId: string): Promise<boolean> {
    const rows = await tx.query<{ id: string }[]>(
      `SELECT id FROM knowledge_sources WHERE site_id = $1 AND id = $2 FOR SHARE`,
      [siteId, sourceId],
    );
    return rows.length > 0;
  }

  async siteOrigins(siteId: string): Promise<string[]> {
    const [row] = await this.dataSource.query<{ allowed_origins: string[] }[]>(
      `SELECT allowed_origins FROM sites WHERE id = $1`,
      [siteId],
    );
    return row?.allowed_origins ?? [];
  }

  /** Deletes the source and, by cascade, its documents and chunks. */
  async deleteSource(siteId: string, sourceId: string): Promise<boolean> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `WITH deleted AS (DELETE FROM knowledge_sources WHERE site_id = $1 AND id = $2 RETURNING id)
       SELECT id FROM deleted`,
      [siteId, sourceId],
    );
    return rows.length > 0;
  }

  async setStatus(sourceId: string, status: KnowledgeSourceStatus): Promise<void> {
    await this.dataSource.query(
      `UPDATE knowledge_sources SET status = $2, error = NULL, updated_at = now() WHERE id = $1`,
      [sourceId, status],
    );
  }

  async refreshCounts(tx: Tx | null, sourceId: string): Promise<void> {
    await (tx ?? this.dataSource).query(
      `UPDATE knowledge_sources s SET updated_at = now(),
         document_count = (SELECT count(*) FROM knowledge_documents d WHERE d.source_id = s.id),
         chunk_count = (SELECT coalesce(sum(chunk_count), 0) FROM knowledge_documents d WHERE d.source_id = s.id)
       WHERE id = $1`,
      [sourceId],
    );
  }

  async listDocuments(siteId: string, sourceId: string): Promise<DocumentRow[]> {
    return await this.dataSource.query<DocumentRow[]>(
      `SELECT id, url, title, status, detail, content_hash, chunk_count, fetched_at FROM knowledge_documents
        WHERE site_id = $1 AND source_id = $2 ORDER BY fetched_at, id`,
      [siteId, sourceId],
    );
  }

  async findDocumentByUrl(tx: Tx, sourceId: string, url: string): Promise<DocumentRow | null> {
    const [row] = await tx.query<DocumentRow[]>(
      `SELECT id, url, title, status, detail, content_hash, chunk_count, fetched_at FROM knowledge_documents
        WHERE source_id = $1 AND url = $2 FOR UPDATE`,
      [sourceId, url],
    );
    return row ?? null;
  }

  /** Records a document (replacing the one at the same URL) with its chunks. */
  async replaceDocument(tx: Tx, document: NewDocument, chunks: Chunk[]): Promise<void> {
    if (document.url !== null) {
      await tx.query(`DELETE FROM knowledge_documents WHERE source_id = $1 AND url = $2`, [
        document.sourceId,
        document.url,
      ]);
    }
    const [row] = await tx.query<{ id: string }[]>(
      `INSERT INTO knowledge_documents (source_id, site_id, url, title, status, detail, content_hash, chunk_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        document.sourceId,
        document.siteId,
        document.url,
        document.title,
        document.status,
        document.detail,
        document.contentHash,
        chunks.length,
      ],
    );
    if (!row || chunks.length === 0) return;
    await tx.query(
      `INSERT INTO knowledge_chunks (document_id, site_id, ordinal, heading, content)
       SELECT $1, $2, ordinal, heading, content
         FROM unnest($3::int[], $4::text[], $5::text[]) AS c (ordinal, heading, content)`,
      [
        row.id,
        document.siteId,
        chunks.map((_, index) => index),
        chunks.map((chunk) => chunk.heading),
        chunks.map((chunk) => chunk.content),
      ],
    );
  }

  /** A recrawl found the page as it was: it keeps its chunks. */
  async markUnchanged(tx: Tx, documentId: string): Promise<void> {
    await tx.query(
      `UPDATE knowledge_documents SET status = 'unchanged', detail = NULL, fetched_at = now() WHERE id = $1`,
      [documentId],
    );
  }

  /** Pages a recrawl no longer reached: they are gone from the site, so from the index too. */
  async deleteDocumentsBefore(sourceId: string, crawlStartedAt: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM knowledge_documents WHERE source_id = $1 AND fetched_at < $2`, [
      sourceId,
      crawlStartedAt,
    ]);
  }

  /**
   * Full-text search over the site's chunks with English and Finnish stemming both. A word counts
   * only if neither language calls it a stop word ("the" is not a Finnish word, but it is noise);
   * any remaining word may match, passages matching more (and heading) words rank higher. The text
   * score is squashed to 0–1.
   *
   * With a query vector (pgvector and an embedding model), the nearest chunks by cosine similarity
   * join the candidates. A passage scores the better of its text score and the mean of text score
   * and similarity: meaning can lift a passage the words missed ("money back" for "refund"), and a
   * passage that matches the words well keeps its score while its vector is still being computed.
   */
  async search(siteId: string, words: string[], limit: number, vector?: QueryVector): Promise<PassageRow[]> {
    if (words.length === 0 && !vector) return [];
    // Cover density (ts_rank_cd) ranks best but costs ~5× ts_rank per row, and a common word
    // ("order" on a shop) matches most chunks: ts_rank picks the likely few, cover density orders them.
    const textHits = `SELECT likely.id, ts_rank_cd(likely.search, q.query, 32)::float8 AS text_score
         FROM q, (SELECT c.id, c.search FROM q, knowledge_chunks c
                   WHERE q.query IS NOT NULL AND c.site_id = $1 AND c.search @@ q.query
                   ORDER BY ts_rank(c.search, q.query) DESC LIMIT ${TEXT_PRESELECTED}) AS likely
        ORDER BY text_score DESC, likely.id LIMIT ${SEARCH_CANDIDATES}`;
    const vectorHits = vector
      ? `SELECT c.id, greatest(1 - (c.embedding <=> $4::vector), 0)::float8 AS similarity
           FROM knowledge_chunks c
          WHERE c.site_id = $1 AND c.embedding_model = $5
          ORDER BY c.embedding <=> $4::vector LIMIT ${SEARCH_CANDIDATES}`
      : `SELECT NULL::uuid AS id, 0::float8 AS similarity WHERE false`;
    return await this.dataSource.query<PassageRow[]>(
      `WITH terms AS (
         SELECT to_tsquery('english', word) AS en, to_tsquery('finnish', word) AS fi
           FROM unnest($2::text[]) AS word),
       q AS (
         SELECT string_agg(format('(%s | %s)', en::text, fi::text), ' | ')::tsquery AS query
           FROM terms WHERE numnode(en) > 0 AND numnode(fi) > 0),
       text_hits AS (${textHits}),
       vector_hits AS (${vectorHits}),
       hits AS (
         SELECT coalesce(t.id, v.id) AS id, coalesce(t.text_score, 0) AS text_score,
                coalesce(v.similarity, 0) AS similarity
           FROM text_hits t FULL JOIN vector_hits v ON v.id = t.id)
       SELECT c.id AS chunk_id, d.source_id, d.title, d.url, c.heading, c.content,
              greatest(h.text_score, (h.text_score + h.similarity) / 2)::float8 AS score
         FROM hits h
         JOIN knowledge_chunks c ON c.id = h.id
         JOIN knowledge_documents d ON d.id = c.document_id AND d.site_id = c.site_id
        ORDER BY score DESC, c.id LIMIT $3`,
      vector ? [siteId, words, limit, vector.literal, vector.model] : [siteId, words, limit],
    );
  }

  /** Chunks (of any site) without a vector from `model`: new ones, or embedded by another model. */
  async chunksToEmbed(
    model: string,
    limit: number,
  ): Promise<{ id: string; heading: string; content: string }[]> {
    return await this.dataSource.query(
      `SELECT id, heading, content FROM knowledge_chunks
        WHERE embedding_model IS DISTINCT FROM $1 ORDER BY id LIMIT $2`,
      [model, limit],
    );
  }

  async storeEmbeddings(model: string, ids: string[], literals: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE knowledge_chunks c SET embedding = e.literal::vector, embedding_model = $1
         FROM unnest($2::uuid[], $3::text[]) AS e (id, literal) WHERE c.id = e.id`,
      [model, ids, literals],
    );
  }

  /** Assistant answers below `threshold`, with the visitor question each one answered. */
  async unanswered(siteId: string, threshold: number, limit: number) {
    return await this.dataSource.query<
      { conversation_id: string; question: string; confidence: number; asked_at: Date }[]
    >(
      `SELECT q.conversation_id, q.body AS question, a.confidence::float8 AS confidence, q.created_at AS asked_at
         FROM messages a
         JOIN messages q ON q.conversation_id = a.conversation_id AND q.site_id = a.site_id
                        AND q.seq = a.seq - 1 AND q.author = 'visitor'
        WHERE a.site_id = $1 AND a.author = 'assistant' AND a.confidence < $2
        ORDER BY q.created_at DESC LIMIT $3`,
      [siteId, threshold, limit],
    );
  }
}
