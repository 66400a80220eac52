/** Where the assistant's knowledge comes from. */
export const KNOWLEDGE_SOURCE_TYPES = ['crawl', 'upload', 'qa'] as const;
export type KnowledgeSourceType = (typeof KNOWLEDGE_SOURCE_TYPES)[number];

export const KNOWLEDGE_SOURCE_STATUSES = ['queued', 'running', 'ready', 'failed'] as const;
export type KnowledgeSourceStatus = (typeof KNOWLEDGE_SOURCE_STATUSES)[number];

/** What happened to one page or file of a source. */
export const KNOWLEDGE_DOCUMENT_STATUSES = ['indexed', 'unchanged', 'skipped', 'failed'] as const;
export type KnowledgeDocumentStatus = (typeof KNOWLEDGE_DOCUMENT_STATUSES)[number];

export const CRAWL_PAGE_LIMIT_DEFAULT = 200;
export const CRAWL_PAGE_LIMIT_MAX = 2000;
export const CRAWL_DEPTH_LIMIT_DEFAULT = 3;
export const CRAWL_DEPTH_LIMIT_MAX = 10;
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const QA_QUESTION_MAX_LENGTH = 500;
export const QA_ANSWER_MAX_LENGTH = 10_000;
export const SEARCH_QUERY_MAX_LENGTH = 1000;

export type CreateKnowledgeSourceRequest =
  | { type: 'crawl'; url: string; pageLimit?: number; depthLimit?: number }
  | { type: 'qa'; question: string; answer: string };

export interface KnowledgeSource {
  id: string;
  siteId: string;
  type: KnowledgeSourceType;
  title: string;
  url: string | null;
  status: KnowledgeSourceStatus;
  /** Why the source failed as a whole (a page's own problems are on the page). */
  error: string | null;
  pageLimit: number | null;
  depthLimit: number | null;
  documentCount: number;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
  /** When the last crawl finished (crawls only); the next scheduled one follows CRAWL_RECRAWL_DAYS later. */
  crawledAt: string | null;
}

export interface KnowledgeDocument {
  id: string;
  url: string | null;
  title: string;
  status: KnowledgeDocumentStatus;
  detail: string | null;
  chunkCount: number;
  fetchedAt: string;
}

export interface KnowledgeSourceDetail extends KnowledgeSource {
  documents: KnowledgeDocument[];
}

export interface KnowledgeSearchRequest {
  query: string;
}

export interface Passage {
  chunkId: string;
  sourceId: string;
  title: string;
  url: string | null;
  heading: string;
  content: string;
  /** 0–1, higher is more relevant. */
  score: number;
}

export interface KnowledgeSearchResponse {
  passages: Passage[];
}

/** A visitor question the assistant could not answer well: content the site is missing. */
export interface UnansweredQuestion {
  /** The visitor's message: `DELETE …/knowledge/unanswered/:questionId` dismisses it. */
  id: string;
  conversationId: string;
  question: string;
  confidence: number;
  askedAt: string;
}

/** `GET …/knowledge/unanswered`: newest first, at most 100. */
export interface UnansweredQuestionsResponse {
  items: UnansweredQuestion[];
}
