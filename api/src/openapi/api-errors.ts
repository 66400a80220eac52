import { STATUS_CODES } from 'node:http';

import type { ErrorCode, ErrorResponse } from '@cloop/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorResponseDto } from '../common/error-response.dto';
import { STATUS_BY_CODE } from '../common/error-status';

/**
 * A message the server really sends with each code, for the documented example bodies. A new code
 * needs one here (a compile error otherwise); `message` is for humans, clients switch on `code`.
 */
const EXAMPLE_MESSAGES: Record<ErrorCode, string> = {
  BAD_REQUEST: 'Body is not valid JSON',
  VALIDATION_FAILED: 'email must be an email',
  PAYLOAD_TOO_LARGE: 'Request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported Media Type: text/plain',
  ROUTE_NOT_FOUND: 'No such route',
  UNAUTHENTICATED: 'Sign in: an `Authorization: Bearer` token is required',
  INVALID_CREDENTIALS: 'Invalid email or password',
  INVALID_REFRESH_TOKEN: 'Refresh token is invalid, expired or already used',
  WRONG_PASSWORD: 'The current password is not correct',
  FORBIDDEN: 'This action requires the admin role or higher',
  RATE_LIMITED: 'Too many requests; slow down',
  SIGNUP_DISABLED: 'Sign-up is by invitation only on this server',
  EMAIL_TAKEN: 'An account with this email already exists; sign in instead',
  WEAK_PASSWORD: 'This password is too common; choose another',
  ORGANIZATION_NOT_FOUND: 'Organization not found',
  MEMBER_NOT_FOUND: 'Member not found',
  ALREADY_MEMBER: 'This person is already a member',
  INVITATION_NOT_FOUND: 'Invitation not found',
  INVITATION_LINK_INVALID: 'The invitation link is invalid, expired, already used or for another address',
  EMAIL_NOT_VERIFIED: 'Confirm your e-mail address first (see the message we sent you), then accept',
  MAIL_DISABLED: 'This server sends no e-mail',
  RESET_TOKEN_INVALID: 'The reset link is invalid, expired or already used',
  VERIFICATION_TOKEN_INVALID: 'The confirmation link is invalid or expired',
  LAST_OWNER: 'An organization needs an owner: make someone else owner first',
  SITE_NOT_FOUND: 'Site not found',
  SITE_KEY_INVALID: 'Unknown site key',
  ORIGIN_NOT_ALLOWED: "This page's origin is not among the site's allowed origins",
  VISITOR_ID_INVALID: 'X-Cloop-Visitor must be the uuid the widget generated',
  CONVERSATION_NOT_FOUND: 'Conversation not found',
  API_KEY_NOT_FOUND: 'API key not found',
  API_KEY_LIMIT_REACHED: 'The organization already has 50 API keys; revoke one first',
  SSO_NOT_CONFIGURED: 'Single sign-on is not set up or is off for this organization or domain',
  SSO_REQUIRED: 'The account belongs to an organization that signs in through its identity provider only',
  SSO_DOMAIN_NOT_ALLOWED: "The address's domain is not allowed to sign in to this organization",
  SSO_DOMAIN_TAKEN: 'Another organization already signs in this e-mail domain',
  SSO_FAILED: 'The identity provider did not confirm the sign-in',
  MESSAGE_ID_CONFLICT: 'This message id was already used for a different message',
  CONVERSATION_ALREADY_OPEN: 'The visitor already has another open conversation; close that one first',
  SOURCE_NOT_FOUND: 'Knowledge source not found',
  QUESTION_NOT_FOUND: 'No such visitor question on this site',
  CRAWL_URL_NOT_ALLOWED:
    "The crawl can only start on one of the site's allowed origins; add the origin to the site first",
  NOT_A_CRAWL: 'Only crawled sources can be crawled again',
  UNSUPPORTED_FILE_TYPE: 'Upload plain text, Markdown, HTML or PDF files',
  FILE_UNREADABLE: 'The PDF holds no text (a scan needs OCR first)',
  WEBHOOK_NOT_FOUND: 'Webhook endpoint not found',
  WEBHOOK_LIMIT_REACHED: 'A site can have at most 10 webhook endpoints',
  WEBHOOK_DISABLED: 'The endpoint is disabled; enable it to send a test',
  WEBHOOK_DELIVERY_NOT_FOUND: 'No such delivery of this endpoint',
  INTERNAL_ERROR: 'Internal server error',
  SERVICE_UNAVAILABLE: 'Busy; retry shortly',
};

/** The error body the server sends for `code`, as the filter builds it. */
export function exampleErrorBody(code: ErrorCode, message = EXAMPLE_MESSAGES[code]): ErrorResponse {
  const statusCode = STATUS_BY_CODE[code];
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    code,
    ...(code === 'VALIDATION_FAILED' ? { details: [message] } : {}),
  };
}

/** When each code happens on this route: `{ SITE_NOT_FOUND: 'No such site, or not one of yours' }`. */
export type RouteErrors = Partial<Record<ErrorCode, string>>;

/**
 * Documents the errors a route (or every route of a controller) answers with: one response per
 * HTTP status with the `ErrorResponseDto` schema, its description listing each code and when it
 * happens, and one named example body per code. Several uses on one route merge per status, so the
 * access policies add theirs (401, 403, 429 …) and the route adds its own.
 */
export function ApiErrors(errors: RouteErrors): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, [ErrorCode, string][]>();
  for (const [code, when] of Object.entries(errors) as [ErrorCode, string][]) {
    const status = STATUS_BY_CODE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, when]]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, entries]) =>
      ApiResponse({
        status,
        type: ErrorResponseDto,
        description: entries.map(([code, when]) => `\`${code}\`: ${when}`).join('\n\n'),
        examples: Object.fromEntries(
          entries.map(([code, when]) => [code, { summary: when, value: exampleErrorBody(code) }]),
        ),
      }),
    ),
  );
}

/** The 400 of a route that validates a body, query or path parameter. */
export const ApiInvalidInput = (what = 'The body, query or a path parameter is not valid') =>
  ApiErrors({ VALIDATION_FAILED: what });
