import type { ErrorCode } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';

const MESSAGES: Partial<Record<ErrorCode, MessageKey>> = {
  INVALID_CREDENTIALS: 'auth.wrongCredentials',
  SSO_REQUIRED: 'auth.ssoRequired',
  EMAIL_TAKEN: 'auth.emailTaken',
  WEAK_PASSWORD: 'auth.weakPassword',
  SIGNUP_DISABLED: 'auth.signupDisabled',
  RATE_LIMITED: 'auth.rateLimited',
  MAIL_DISABLED: 'auth.mailOff',
  RESET_TOKEN_INVALID: 'auth.resetInvalid',
  INVITATION_LINK_INVALID: 'auth.invitationInvalid',
  ALREADY_MEMBER: 'team.alreadyMember',
};

/** What to tell the person when signing in or up failed. */
export function authErrorKey(error: unknown): MessageKey {
  const code = errorCode(error);
  return (code && MESSAGES[code]) || 'app.error';
}
