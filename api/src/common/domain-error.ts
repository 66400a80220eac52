import type { ErrorCode } from '@cloop/contracts';

/**
 * A failure the caller can act on. Services throw these; the global filter turns the code into an
 * HTTP status once (see `error-status.ts`), so services stay free of HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { details?: string[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
