import { type ErrorCode, type KnowledgeSource, UPLOAD_MAX_BYTES } from '@cloop/contracts';

import type { MessageKey } from '../../core/i18n/messages.en';

/** What the API reads (api/src/knowledge/upload-extractor.ts): by extension, else by MIME type. */
const UPLOAD_EXTENSIONS = ['txt', 'text', 'md', 'markdown', 'html', 'htm', 'pdf'];
const UPLOAD_TYPES = ['text/plain', 'text/markdown', 'text/x-markdown', 'text/html', 'application/pdf'];

/** For the file picker: the same list, so the dialog offers only files the API can read. */
export const UPLOAD_ACCEPT = [...UPLOAD_EXTENSIONS.map((ext) => `.${ext}`), ...UPLOAD_TYPES].join(',');
export const UPLOAD_MAX_MB = UPLOAD_MAX_BYTES / (1024 * 1024);

export type UploadProblem = 'empty' | 'tooLarge' | 'unsupportedType';
export type CrawlUrlProblem = 'invalid' | 'notAllowed';

/** The client-side check before an upload: saves a 10 MB round trip to learn what the API refuses. */
export function uploadProblem(file: Pick<File, 'name' | 'size' | 'type'>): UploadProblem | null {
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const type = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!UPLOAD_EXTENSIONS.includes(extension) && !UPLOAD_TYPES.includes(type)) return 'unsupportedType';
  if (file.size > UPLOAD_MAX_BYTES) return 'tooLarge';
  if (file.size === 0) return 'empty';
  return null;
}

/** A crawl starts on an http(s) page or sitemap of one of the site's allowed origins. */
export function crawlUrlProblem(value: string, allowedOrigins: readonly string[]): CrawlUrlProblem | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'invalid';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'invalid';
  return allowedOrigins.includes(url.origin) ? null : 'notAllowed';
}

/** Queued or running: its counts still change, so the page keeps asking. */
export const inProgress = (source: Pick<KnowledgeSource, 'status'>): boolean =>
  source.status === 'queued' || source.status === 'running';

/**
 * Finished, yet nothing the assistant can use: every page was skipped or failed. The API calls
 * that `ready`; the console must not show it as a success.
 */
export const readNothing = (source: Pick<KnowledgeSource, 'status' | 'chunkCount' | 'type'>): boolean =>
  source.status === 'ready' && source.chunkCount === 0 && source.type !== 'qa';

/** The status badge's words: "Nothing indexed" for a crawl or file that read nothing. */
export const sourceBadgeKey = (
  source: Pick<KnowledgeSource, 'status' | 'chunkCount' | 'type'>,
): MessageKey =>
  readNothing(source) ? 'knowledge.status.empty' : (`knowledge.status.${source.status}` as const);

const ERROR_KEYS: Partial<Record<ErrorCode, MessageKey>> = {
  CRAWL_URL_NOT_ALLOWED: 'knowledge.error.notAllowed',
  UNSUPPORTED_FILE_TYPE: 'knowledge.error.unsupportedType',
  FILE_UNREADABLE: 'knowledge.error.unreadable',
  PAYLOAD_TOO_LARGE: 'knowledge.error.tooLarge',
  VALIDATION_FAILED: 'knowledge.error.invalid',
  FORBIDDEN: 'knowledge.adminOnly',
  SOURCE_NOT_FOUND: 'knowledge.notFound',
  RATE_LIMITED: 'auth.rateLimited',
};

/** The message for an API error code of the knowledge routes; anything else is a generic failure. */
export function knowledgeErrorKey(code: ErrorCode | null): MessageKey {
  return (code && ERROR_KEYS[code]) ?? 'app.error';
}
