/**
 * Machine-readable error codes. Clients switch on `code`; `message` is for humans and may change.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'ROUTE_NOT_FOUND',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'INVALID_REFRESH_TOKEN',
  'WRONG_PASSWORD',
  'FORBIDDEN',
  'RATE_LIMITED',
  'SIGNUP_DISABLED',
  'EMAIL_TAKEN',
  'WEAK_PASSWORD',
  'ORGANIZATION_NOT_FOUND',
  'MEMBER_NOT_FOUND',
  'ALREADY_MEMBER',
  'INVITATION_NOT_FOUND',
  'INVITATION_LINK_INVALID',
  'EMAIL_NOT_VERIFIED',
  'MAIL_DISABLED',
  'RESET_TOKEN_INVALID',
  'VERIFICATION_TOKEN_INVALID',
  'LAST_OWNER',
  'SITE_NOT_FOUND',
  'SITE_KEY_INVALID',
  'ORIGIN_NOT_ALLOWED',
  'VISITOR_ID_INVALID',
  'CONVERSATION_NOT_FOUND',
  'MESSAGE_ID_CONFLICT',
  'CONVERSATION_ALREADY_OPEN',
  'SOURCE_NOT_FOUND',
  'QUESTION_NOT_FOUND',
  'CRAWL_URL_NOT_ALLOWED',
  'NOT_A_CRAWL',
  'UNSUPPORTED_FILE_TYPE',
  'FILE_UNREADABLE',
  'WEBHOOK_NOT_FOUND',
  'WEBHOOK_LIMIT_REACHED',
  'WEBHOOK_DISABLED',
  'WEBHOOK_DELIVERY_NOT_FOUND',
  'API_KEY_NOT_FOUND',
  'API_KEY_LIMIT_REACHED',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error response. */
export interface ErrorResponse {
  statusCode: number;
  /** HTTP reason phrase, e.g. "Bad Request". */
  error: string;
  message: string;
  code: ErrorCode;
  /** Per-field problems, present for VALIDATION_FAILED. */
  details?: string[];
}
