import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorCode, ErrorResponse } from '@cloop/contracts';

/** The API's machine-readable error code, when the failure came from the API. */
export function errorCode(error: unknown): ErrorCode | null {
  if (!(error instanceof HttpErrorResponse)) return null;
  const body = error.error as Partial<ErrorResponse> | null;
  return body && typeof body === 'object' && typeof body.code === 'string' ? body.code : null;
}
