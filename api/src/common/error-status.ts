import type { ErrorCode } from '@cloop/contracts';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VISITOR_ID_INVALID: 400,
  VALIDATION_FAILED: 400,
  WEAK_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  SITE_KEY_INVALID: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  WRONG_PASSWORD: 403,
  SIGNUP_DISABLED: 403,
  ROUTE_NOT_FOUND: 404,
  ORGANIZATION_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  INVITATION_NOT_FOUND: 404,
  SITE_NOT_FOUND: 404,
  CONVERSATION_NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  ALREADY_MEMBER: 409,
  LAST_OWNER: 409,
  MESSAGE_ID_CONFLICT: 409,
  CONVERSATION_ALREADY_OPEN: 409,
  SOURCE_NOT_FOUND: 404,
  CRAWL_URL_NOT_ALLOWED: 400,
  NOT_A_CRAWL: 409,
  UNSUPPORTED_FILE_TYPE: 415,
  FILE_UNREADABLE: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** For errors raised by Nest or Fastify themselves, which carry only a status. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'ROUTE_NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return status >= 400 && status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR';
  }
}
