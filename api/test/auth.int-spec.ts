import type { AuthResponse, ErrorResponse, MeResponse } from '@cloop/contracts';

import { PASSWORD, signUp, uniqueEmail } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

describe('accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ rateLimits: { loginFailures: { limit: 3, windowMs: 60_000 } } });
  });
  afterAll(() => t.close());

  describe('signup', () => {
    it('creates the user and an organization the user owns, and returns a session', async () => {
      const email = uniqueEmail();
      const response = await t.http
        .post(route('/api/v1/auth/signup'))
        .send({ email: email.toUpperCase(), password: PASSWORD, name: '  Ada Lovelace ' })
        .expect(201);
      const body = response.body as AuthResponse;
      expect(body.user).toMatchObject({ email, name: 'Ada Lovelace' });
      expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const me = await t.http
        .get(route('/api/v1/auth/me'))
        .set('Authorization', `Bearer ${body.accessToken}`)
        .expect(200);
      expect((me.body as MeResponse).organizations).toEqual([
        { id: expect.any(String), name: "Ada Lovelace's organization", role: 'owner' },
      ]);
    });

    it('refuses a second account for the same email, whatever its case', async () => {
      const { email } = await signUp(t.http);
      const response = await t.http
        .post(route('/api/v1/auth/signup'))
        .send({ email: email.toUpperCase(), password: PASSWORD, name: 'Again' })
        .expect(409);
      expect((response.body as ErrorResponse).code).toBe('EMAIL_TAKEN');
    });

    it.each([
      ['too short', 'short12'],
      ['too long', 'x'.repeat(129)],
      ['common', 'password123'],
    ])('refuses a %s password', async (_, password) => {
      const email = uniqueEmail();
      const response = await t.http
        .post(route('/api/v1/auth/signup'))
        .send({ email, password, name: 'X' })
        .expect(400);
      expect((response.body as ErrorResponse).code).toBe('WEAK_PASSWORD');
      await t.http.post(route('/api/v1/auth/login')).send({ email, password: PASSWORD }).expect(401);
    });

    it.each([
      ['an invalid email', { email: 'not-an-email', password: PASSWORD, name: 'X' }],
      ['a missing name', { email: 'a@example.test', password: PASSWORD }],
      ['a blank name', { email: 'a@example.test', password: PASSWORD, name: '   ' }],
      ['an unknown field', { email: 'a@example.test', password: PASSWORD, name: 'X', role: 'owner' }],
      ['a number for the password', { email: 'a@example.test', password: 12345678, name: 'X' }],
      ['a body that is an array', [1, 2]],
    ])('refuses %s with a 400 and creates nothing', async (label, body) => {
      const response = await t.http
        .post(route('/api/v1/auth/signup'))
        .send(body as object)
        .expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      await t.http
        .post(route('/api/v1/auth/login'))
        .set('X-Forwarded-For', `10.0.0.${label.length}`) // failed logins per IP stay under the throttle
        .send({ email: 'a@example.test', password: PASSWORD })
        .expect(401);
    });
  });

  describe('login', () => {
    it('signs in with the right password, ignoring the email case', async () => {
      const user = await signUp(t.http);
      const response = await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: user.email.toUpperCase(), password: PASSWORD })
        .expect(200);
      expect((response.body as AuthResponse).user.id).toBe(user.userId);
    });

    it('answers an unknown email and a wrong password with byte-identical 401 bodies', async () => {
      const user = await signUp(t.http);
      const wrongPassword = await t.http
        .post(route('/api/v1/auth/login'))
        .set('X-Forwarded-For', '203.0.113.50')
        .send({ email: user.email, password: 'not the password' })
        .expect(401);
      const unknownEmail = await t.http
        .post(route('/api/v1/auth/login'))
        .set('X-Forwarded-For', '203.0.113.50')
        .send({ email: uniqueEmail('nobody'), password: 'not the password' })
        .expect(401);
      expect(unknownEmail.text).toBe(wrongPassword.text);
      const headerNames = (r: typeof unknownEmail) =>
        Object.keys(r.headers)
          .filter((name) => !['date', 'x-request-id'].includes(name))
          .sort();
      expect(headerNames(unknownEmail)).toEqual(headerNames(wrongPassword));
      expect(unknownEmail.headers['content-length']).toBe(wrongPassword.headers['content-length']);
      expect(JSON.parse(wrongPassword.text)).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Invalid email or password',
        code: 'INVALID_CREDENTIALS',
      });
    });

    it('throttles repeated failures for one account from one IP, not from other IPs', async () => {
      const user = await signUp(t.http);
      const attacker = '198.51.100.7';
      for (let i = 0; i < 3; i++) {
        await t.http
          .post(route('/api/v1/auth/login'))
          .set('X-Forwarded-For', attacker)
          .send({ email: user.email, password: 'guess' })
          .expect(401);
      }
      const throttled = await t.http
        .post(route('/api/v1/auth/login'))
        .set('X-Forwarded-For', attacker)
        .send({ email: user.email, password: PASSWORD })
        .expect(429);
      expect((throttled.body as ErrorResponse).code).toBe('RATE_LIMITED');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);

      // The real user, elsewhere, still gets in.
      await t.http
        .post(route('/api/v1/auth/login'))
        .set('X-Forwarded-For', '192.0.2.10')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
    });
  });

  it('counts parallel guesses before checking them, so a burst cannot slip past the throttle', async () => {
    const user = await signUp(t.http);
    const guesses = await t.concurrently(() =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.http
            .post(route('/api/v1/auth/login'))
            .set('X-Forwarded-For', '198.51.100.77')
            .send({ email: user.email, password: `guess number ${i}` }),
        ),
      ),
    );
    const statuses = guesses.map((response) => response.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  });

  describe('password change', () => {
    it('throttles wrong current passwords, so a stolen access token cannot guess the password', async () => {
      const user = await signUp(t.http);
      const attempt = (currentPassword: string) =>
        t.http
          .post(route('/api/v1/auth/password'))
          .set(user.auth)
          .set('X-Forwarded-For', '198.51.100.88')
          .send({ currentPassword, newPassword: 'a brand new passphrase' });
      for (let i = 0; i < 3; i++) await attempt(`wrong guess ${i}`).expect(403);
      const throttled = await attempt(PASSWORD).expect(429);
      expect((throttled.body as ErrorResponse).code).toBe('RATE_LIMITED');
    });

    it('needs the current password, then signs out every other session', async () => {
      const user = await signUp(t.http);
      const other = (
        await t.http
          .post(route('/api/v1/auth/login'))
          .send({ email: user.email, password: PASSWORD })
          .expect(200)
      ).body as AuthResponse;

      const wrong = await t.http
        .post(route('/api/v1/auth/password'))
        .set(user.auth)
        .send({ currentPassword: 'wrong password', newPassword: 'a brand new passphrase' })
        .expect(403);
      expect((wrong.body as ErrorResponse).code).toBe('WRONG_PASSWORD');
      await t.http
        .post(route('/api/v1/auth/password'))
        .set(user.auth)
        .send({ currentPassword: PASSWORD, newPassword: 'qwerty123' })
        .expect(400);

      const changed = (
        await t.http
          .post(route('/api/v1/auth/password'))
          .set(user.auth)
          .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })
          .expect(200)
      ).body as AuthResponse;

      await t.http.get(route('/api/v1/auth/me')).set(user.auth).expect(401);
      await t.http
        .get(route('/api/v1/auth/me'))
        .set('Authorization', `Bearer ${other.accessToken}`)
        .expect(401);
      await t.http.post(route('/api/v1/auth/refresh')).send({ refreshToken: other.refreshToken }).expect(401);
      await t.http.post(route('/api/v1/auth/refresh')).send({ refreshToken: user.refreshToken }).expect(401);
      await t.http
        .get(route('/api/v1/auth/me'))
        .set('Authorization', `Bearer ${changed.accessToken}`)
        .expect(200);
      await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: user.email, password: PASSWORD })
        .expect(401);
      await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: user.email, password: 'a brand new passphrase' })
        .expect(200);
    });
  });

  describe('sign-up by invitation only (ALLOW_SIGNUP=false)', () => {
    let closed: TestApp;
    beforeAll(async () => {
      closed = await startTestApp({ env: { ALLOW_SIGNUP: 'false' } });
    });
    afterAll(() => closed.close());

    it('lets the first account of a new install in, refuses strangers, and admits invited emails', async () => {
      const owner = await signUp(closed.http, { name: 'First Admin' });

      const refused = await closed.http
        .post(route('/api/v1/auth/signup'))
        .send({ email: uniqueEmail('stranger'), password: PASSWORD, name: 'Stranger' })
        .expect(403);
      expect((refused.body as ErrorResponse).code).toBe('SIGNUP_DISABLED');

      const invitedEmail = uniqueEmail('invited');
      const invitation = await closed.http
        .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
        .set(owner.auth)
        .send({ email: invitedEmail, role: 'member' })
        .expect(201);
      // E-mail is off here: the owner passes the invitation's signed link on.
      const { link } = invitation.body as { link: string };
      const response = await closed.http
        .post(route('/api/v1/auth/signup'))
        .send({
          email: invitedEmail,
          password: PASSWORD,
          name: 'Invited',
          invitationToken: link.split('#token=')[1],
        })
        .expect(201);
      const invited = { auth: { Authorization: `Bearer ${(response.body as AuthResponse).accessToken}` } };
      const me = (await closed.http.get(route('/api/v1/auth/me')).set(invited.auth).expect(200))
        .body as MeResponse;
      expect(me.organizations).toContainEqual({
        id: owner.organizationId,
        name: expect.any(String),
        role: 'member',
      });
    });
  });
});
