import type { ErrorCode } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';

const MESSAGES: Partial<Record<ErrorCode, MessageKey>> = {
  INVALID_CREDENTIALS: 'auth.wrongCredentials',
  EMAIL_TAKEN: 'auth.emailTaken',
  WEAK_PASSWORD: 'auth.weakPassword',
  SIGNUP_DISABLED: 'auth.signupDisabled',
  RATE_LIMITED: 'auth.rateLimited',
};

/** What to tell the person when signing in or up failed. */
export function authErrorKey(error: unknown): MessageKey {
  const code = errorCode(error);
  return (code && MESSAGES[code]) || 'app.error';
}
