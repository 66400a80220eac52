import type { ErrorCode } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';

const MESSAGES: Partial<Record<ErrorCode, MessageKey>> = {
  SSO_NOT_CONFIGURED: 'sso.error.notConfigured',
  SSO_DOMAIN_NOT_ALLOWED: 'sso.error.domain',
  SSO_FAILED: 'sso.error.failed',
  SSO_DOMAIN_TAKEN: 'sso.error.domainTaken',
  VALIDATION_FAILED: 'sso.error.invalid',
  RATE_LIMITED: 'auth.rateLimited',
};

/** What to tell the person when a single sign-on step failed. */
export function ssoErrorKey(error: unknown): MessageKey {
  const code = errorCode(error);
  return (code && MESSAGES[code]) || 'app.error';
}
