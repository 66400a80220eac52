import type { KnowledgeDocumentStatus, KnowledgeSourceStatus, KnowledgeSourceType } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';
import type { Chunk } from './ingestion/chunker';
import type { SearchLanguage } from './language';

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

export interface NewDocument {
  siteId: string;
  sourceId: string;
  url: string | null;
  title: string;
  language: SearchLanguage;
  status: KnowledgeDocumentStatus;
  detail: string | null;
  contentHash: string | null;
}

const SOURCE_COLUMNS = `id, site_id, type, title, url, status, error, page_limit, depth_limit, document_count,
  chunk_count, created_at, updated_at, crawled_at`;

/**
 * The sources of a site's knowledge, their documents and chunks as ingestion writes them. Every
 * query names the site: one site's knowledge never answers another's visitors.
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
      `INSERT INTO knowledge_documents (source_id, site_id, url, title, status, detail, content_hash, chunk_count, language)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        document.sourceId,
        document.siteId,
        document.url,
        document.title,
        document.status,
        document.detail,
        document.contentHash,
        chunks.length,
        document.language,
      ],
    );
    if (!row || chunks.length === 0) return;
    await tx.query(
      `INSERT INTO knowledge_chunks (document_id, site_id, ordinal, heading, content, search, length)
       SELECT $1, $2, c.ordinal, c.heading, c.content, v.search,
              (SELECT coalesce(sum(array_length(positions, 1)), 0) FROM unnest(v.search))
         FROM unnest($3::int[], $4::text[], $5::text[]) AS c (ordinal, heading, content),
              LATERAL (SELECT knowledge_chunk_vector($6::regconfig, $7, c.heading, c.content) AS search) v`,
      [
        row.id,
        document.siteId,
        chunks.map((_, index) => index),
        chunks.map((chunk) => chunk.heading),
        chunks.map((chunk) => chunk.content),
        document.language,
        document.title,
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
}
