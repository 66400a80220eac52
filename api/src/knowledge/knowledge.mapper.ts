import type { KnowledgeDocument, KnowledgeSource, Passage } from '@cloop/contracts';

import type { DocumentRow, SourceRow } from './knowledge.repository';
import type { PassageRow } from './retrieval/search.repository';

export function mapSource(row: SourceRow): KnowledgeSource {
  return {
    id: row.id,
    siteId: row.site_id,
    type: row.type,
    title: row.title,
    url: row.url,
    status: row.status,
    error: row.error,
    pageLimit: row.page_limit,
    depthLimit: row.depth_limit,
    documentCount: row.document_count,
    chunkCount: row.chunk_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    crawledAt: row.crawled_at?.toISOString() ?? null,
  };
}

export function mapDocument(row: DocumentRow): KnowledgeDocument {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    status: row.status,
    detail: row.detail,
    chunkCount: row.chunk_count,
    fetchedAt: row.fetched_at.toISOString(),
  };
}

export function mapPassage(row: PassageRow): Passage {
  return {
    chunkId: row.chunk_id,
    sourceId: row.source_id,
    title: row.title,
    url: row.url,
    heading: row.heading,
    content: row.content,
    score: row.score,
  };
}
