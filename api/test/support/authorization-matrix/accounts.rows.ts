import type {
  AuthResponse,
  ChangePasswordRequest,
  DeleteAccountRequest,
  LoginRequest,
  LogoutRequest,
  RefreshRequest,
  SignupRequest,
} from '@cloop/contracts';

import { PASSWORD, uniqueEmail, signUp } from '../factories';
import { as, everyone, freshInvitationId, freshSession, isPerson, signedIn, type Row } from './machinery';
import { route } from '@cloop/client/route';

/** The matrix rows of health, sign-in, accounts, e-mail and invitations to the caller. */
export const ACCOUNT_ROWS: Record<string, Row> = {
  'GET /api/health': { expected: everyone(200), call: (w, c) => as(w, c, w.http.get('/api/health')) },
  'GET /api/ready': { expected: everyone(200), call: (w, c) => as(w, c, w.http.get('/api/ready')) },
  'POST /api/v1/auth/signup': {
    expected: everyone(201),
    call: (w, c) => {
      const body: SignupRequest = { email: uniqueEmail('signup'), password: PASSWORD, name: 'Newcomer' };
      return as(w, c, w.http.post(route('/api/v1/auth/signup'))).send(body);
    },
  },
  'POST /api/v1/auth/login': {
    expected: everyone(200),
    call: (w, c) => {
      const body: LoginRequest = { email: w.bystander.email, password: PASSWORD };
      return as(w, c, w.http.post(route('/api/v1/auth/login'))).send(body);
    },
  },
  'POST /api/v1/auth/refresh': {
    expected: everyone(200),
    call: async (w, c) => {
      const body: RefreshRequest = { refreshToken: (await freshSession(w)).refreshToken };
      return as(w, c, w.http.post(route('/api/v1/auth/refresh'))).send(body);
    },
  },
  // Single sign-on: public, and naming no tenant's data (no organization here has SSO on).
  'POST /api/v1/auth/sso/start': {
    expected: everyone(404),
    call: (w, c) => as(w, c, w.http.post(route('/api/v1/auth/sso/start'))).send({ email: w.bystander.email }),
  },
  'POST /api/v1/auth/sso/organizations/:orgId/start': {
    expected: everyone(404),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.post(
          route('/api/v1/auth/sso/organizations/{orgId}/start', { orgId: w.users.owner.organizationId }),
        ),
      ),
  },
  'POST /api/v1/auth/sso/callback': {
    expected: everyone(401),
    call: (w, c) =>
      as(w, c, w.http.post(route('/api/v1/auth/sso/callback'))).send({
        query: '?code=made-up&state=made-up',
      }),
  },
  'POST /api/v1/auth/logout': {
    expected: everyone(204),
    call: async (w, c) => {
      const body: LogoutRequest = { refreshToken: (await freshSession(w)).refreshToken };
      return as(w, c, w.http.post(route('/api/v1/auth/logout'))).send(body);
    },
  },
  'GET /api/v1/auth/me': {
    expected: signedIn(200),
    call: (w, c) => as(w, c, w.http.get(route('/api/v1/auth/me'))),
  },
  // E-mail is off in this file: reset and confirmation e-mails answer MAIL_DISABLED to everyone.
  'POST /api/v1/auth/password-reset': {
    expected: everyone(409),
    call: (w, c) =>
      as(w, c, w.http.post(route('/api/v1/auth/password-reset'))).send({ email: w.bystander.email }),
  },
  'POST /api/v1/auth/password-reset/confirm': {
    expected: everyone(400),
    call: (w, c) =>
      as(w, c, w.http.post(route('/api/v1/auth/password-reset/confirm'))).send({
        token: 'q2v6Hn0bS8yWcE4tLr7uJd1kXa9PfZ3mGo5iBt2eR6w',
        newPassword: 'a longer passphrase nobody guesses',
      }),
  },
  'POST /api/v1/auth/verify-email': {
    expected: everyone(400),
    call: (w, c) =>
      as(w, c, w.http.post(route('/api/v1/auth/verify-email'))).send({ token: `e30.${'A'.repeat(43)}` }),
  },
  'POST /api/v1/auth/verify-email/resend': {
    expected: signedIn(409),
    call: (w, c) => as(w, c, w.http.post(route('/api/v1/auth/verify-email/resend'))),
  },
  'GET /api/v1/mail/status': {
    expected: everyone(200),
    call: (w, c) => as(w, c, w.http.get(route('/api/v1/mail/status'))),
  },
  'GET /api/v1/mail/preferences': {
    expected: signedIn(200),
    call: (w, c) => as(w, c, w.http.get(route('/api/v1/mail/preferences'))),
  },
  'PUT /api/v1/mail/preferences': {
    expected: signedIn(200),
    call: (w, c) =>
      as(w, c, w.http.put(route('/api/v1/mail/preferences'))).send({ leadNotifications: true, locale: 'en' }),
  },
  'GET /api/v1/invitations': {
    expected: signedIn(200),
    call: (w, c) => as(w, c, w.http.get(route('/api/v1/invitations'))),
  },
  // Only the invited address may answer an invitation: everyone else (its inviters too) gets 404.
  'POST /api/v1/invitations/:invitationId/accept': {
    expected: signedIn(404),
    call: async (w, c) =>
      as(
        w,
        c,
        w.http.post(
          route('/api/v1/invitations/{invitationId}/accept', { invitationId: await freshInvitationId(w) }),
        ),
      ),
  },
  'POST /api/v1/invitations/:invitationId/decline': {
    expected: signedIn(404),
    call: async (w, c) =>
      as(
        w,
        c,
        w.http.post(
          route('/api/v1/invitations/{invitationId}/decline', { invitationId: await freshInvitationId(w) }),
        ),
      ),
  },
  'POST /api/v1/invitations/accept-link': {
    expected: signedIn(400),
    call: (w, c) =>
      as(w, c, w.http.post(route('/api/v1/invitations/accept-link'))).send({
        token: `e30.${'A'.repeat(43)}`,
      }),
  },
  'POST /api/v1/auth/password': {
    expected: signedIn(200),
    call: async (w, c) => {
      const newPassword = `${c} chose a fresh passphrase ${uniqueEmail()}`;
      const current = isPerson(c) ? w.passwords[c] : PASSWORD;
      const body: ChangePasswordRequest = { currentPassword: current, newPassword };
      const response = await as(w, c, w.http.post(route('/api/v1/auth/password'))).send(body);
      if (isPerson(c) && response.status === 200) {
        // Changing the password ends every other session: carry on with the one it returns.
        const { accessToken } = response.body as AuthResponse;
        Object.assign(w.users[c], { accessToken, auth: { Authorization: `Bearer ${accessToken}` } });
        w.passwords[c] = newPassword;
      }
      return response;
    },
  },
  'GET /api/v1/auth/me/export': {
    expected: signedIn(200),
    call: (w, c) => as(w, c, w.http.get(route('/api/v1/auth/me/export'))),
  },
  // The route acts on the caller's own account only; signed-in callers delete a throwaway account.
  'DELETE /api/v1/auth/me': {
    expected: signedIn(200),
    call: async (w, c) => {
      const body: DeleteAccountRequest = { password: PASSWORD };
      if (!isPerson(c)) return as(w, c, w.http.delete(route('/api/v1/auth/me'))).send(body);
      const throwaway = await signUp(w.http, { name: 'Leaving soon' });
      return w.http.delete(route('/api/v1/auth/me')).set(throwaway.auth).send(body);
    },
  },
};
