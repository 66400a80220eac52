import { HttpErrorResponse } from '@angular/common/http';

import { authErrorKey } from './auth-errors';

const apiError = (status: number, code: string) =>
  new HttpErrorResponse({ status, error: { code, message: 'from the API' } });

describe('authErrorKey', () => {
  it('tells a member of an SSO-only organization to use single sign-on, not that something broke', () => {
    expect(authErrorKey(apiError(403, 'SSO_REQUIRED'))).toBe('auth.ssoRequired');
  });

  it('names wrong credentials, and falls back to the generic message for what it does not know', () => {
    expect(authErrorKey(apiError(401, 'INVALID_CREDENTIALS'))).toBe('auth.wrongCredentials');
    expect(authErrorKey(apiError(500, 'INTERNAL_ERROR'))).toBe('app.error');
    expect(authErrorKey(new Error('network'))).toBe('app.error');
  });
});
