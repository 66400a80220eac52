import type {
  AuthResponse,
  ErrorResponse,
  InviteMemberResponse,
  MailPreferences,
  MeResponse,
  OrganizationMembership,
  PendingInvitation,
} from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { Mailer } from '../src/mail/mailer';
import {
  addMember,
  createSite,
  createVisitorSession,
  PASSWORD,
  sendVisitorMessage,
  signUp,
  type SignedUpUser,
  uniqueEmail,
} from './support/factories';
import { SmtpInbox, tokenIn } from './support/smtp-inbox';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const PUBLIC_URL = 'http://cloop.example.test';
const mailEnv = (inbox: SmtpInbox): Record<string, string> => ({
  SMTP_URL: inbox.url,
  MAIL_FROM: 'Cloop <cloop@example.test>',
  PUBLIC_URL,
});

const NEW_PASSWORD = 'a brand new passphrase nobody guesses';

async function organizationsOf(t: TestApp, auth: Record<string, string>): Promise<OrganizationMembership[]> {
  return ((await t.http.get(route('/api/v1/auth/me')).set(auth).expect(200)).body as MeResponse)
    .organizations;
}

async function invite(t: TestApp, owner: SignedUpUser, email: string, extra: object = {}) {
  const response = await t.http
    .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
    .set(owner.auth)
    .send({ email, role: 'admin', ...extra })
    .expect(201);
  return response.body as InviteMemberResponse;
}

function signUpWith(t: TestApp, email: string, invitationToken?: string) {
  return t.http
    .post(route('/api/v1/auth/signup'))
    .send({ email, password: PASSWORD, name: 'Grace', ...(invitationToken ? { invitationToken } : {}) });
}

describe('e-mail through a real SMTP server', () => {
  let inbox: SmtpInbox;
  let t: TestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    inbox = await new SmtpInbox().start();
    t = await startTestApp({
      env: { ...mailEnv(inbox), LOG_LEVEL: 'debug' },
      logStream: { write: (line) => void logLines.push(line) },
    });
  });
  afterAll(async () => {
    await t.close();
    await inbox.stop();
  });

  it('says e-mail is on', async () => {
    expect((await t.http.get(route('/api/v1/mail/status')).expect(200)).body).toEqual({ enabled: true });
  });

  describe('password reset', () => {
    it('e-mails a link that works once, ends every session and lets the new password in', async () => {
      const user = await signUp(t.http);
      const other = (
        await t.http
          .post(route('/api/v1/auth/login'))
          .send({ email: user.email, password: PASSWORD })
          .expect(200)
      ).body as AuthResponse;

      await t.http
        .post(route('/api/v1/auth/password-reset'))
        .send({ email: user.email.toUpperCase() })
        .expect(204);
      const mail = await inbox.next(user.email, (m) => m.subject === 'Reset your Cloop password');
      expect(mail.from).toBe('cloop@example.test');
      expect(mail.html).toContain('Choose a new password');
      expect(mail.text).toContain(`${PUBLIC_URL}/console/reset-password#token=`);
      const token = tokenIn(mail, 'reset-password');

      await t.http
        .post(route('/api/v1/auth/password-reset/confirm'))
        .send({ token, newPassword: NEW_PASSWORD })
        .expect(204);

      // Every session ended: both refresh tokens and the access token are refused.
      for (const refreshToken of [user.refreshToken, other.refreshToken]) {
        await t.http.post(route('/api/v1/auth/refresh')).send({ refreshToken }).expect(401);
      }
      await t.http.get(route('/api/v1/auth/me')).set(user.auth).expect(401);
      await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: user.email, password: PASSWORD })
        .expect(401);
      await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: user.email, password: NEW_PASSWORD })
        .expect(200);

      const again = await t.http
        .post(route('/api/v1/auth/password-reset/confirm'))
        .send({ token, newPassword: 'yet another passphrase here' })
        .expect(400);
      expect((again.body as ErrorResponse).code).toBe('RESET_TOKEN_INVALID');
    });

    it('answers an unknown address exactly as a known one, in about the same time, and sends it nothing', async () => {
      const user = await signUp(t.http);
      const unknown = uniqueEmail('nobody');
      const timed = async (email: string) => {
        const started = process.hrtime.bigint();
        const response = await t.http.post(route('/api/v1/auth/password-reset')).send({ email });
        return { response, ms: Number(process.hrtime.bigint() - started) / 1e6 };
      };
      const known: number[] = [];
      const unknownTimes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const a = await timed(user.email);
        const b = await timed(unknown);
        expect({ status: b.response.status, body: b.response.body as unknown }).toEqual({
          status: a.response.status,
          body: a.response.body as unknown,
        });
        expect(a.response.status).toBe(204);
        known.push(a.ms);
        unknownTimes.push(b.ms);
      }
      const median = (values: number[]) =>
        [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
      // Both paths do one lookup and one write and only queue the mail: within a few milliseconds.
      expect(Math.abs(median(known) - median(unknownTimes))).toBeLessThan(Math.max(15, median(known)));
      await inbox.next(user.email);
      await t.app.get(Mailer).idle();
      expect(inbox.to(unknown)).toEqual([]);
    });

    it('refuses an expired link, and a weak password leaves the link usable', async () => {
      const user = await signUp(t.http);
      await t.http.post(route('/api/v1/auth/password-reset')).send({ email: user.email }).expect(204);
      const token = tokenIn(
        await inbox.next(user.email, (m) => m.subject === 'Reset your Cloop password'),
        'reset-password',
      );

      const weak = await t.http
        .post(route('/api/v1/auth/password-reset/confirm'))
        .send({ token, newPassword: 'short' });
      expect((weak.body as ErrorResponse).code).toBe('WEAK_PASSWORD');

      await t.app
        .get(DataSource)
        .query(`UPDATE password_resets SET expires_at = now() - interval '1 second'`);
      const expired = await t.http
        .post(route('/api/v1/auth/password-reset/confirm'))
        .send({ token, newPassword: NEW_PASSWORD })
        .expect(400);
      expect((expired.body as ErrorResponse).code).toBe('RESET_TOKEN_INVALID');
      await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
    });

    it('sends one account at most 5 links an hour, answering the same beyond that', async () => {
      const user = await signUp(t.http);
      for (let i = 0; i < 7; i++) {
        await t.http.post(route('/api/v1/auth/password-reset')).send({ email: user.email }).expect(204);
      }
      await t.app.get(Mailer).idle();
      await inbox.next(user.email, (m) => m.subject === 'Reset your Cloop password');
      await t.app.get(Mailer).idle();
      expect(inbox.to(user.email).filter((m) => m.subject === 'Reset your Cloop password')).toHaveLength(5);
    });

    it('writes in Finnish to a user who chose Finnish', async () => {
      const user = await signUp(t.http);
      const preferences: MailPreferences = { leadNotifications: true, locale: 'fi' };
      await t.http.put(route('/api/v1/mail/preferences')).set(user.auth).send(preferences).expect(200);
      await t.http.post(route('/api/v1/auth/password-reset')).send({ email: user.email }).expect(204);
      const mail = await inbox.next(user.email, (m) => m.subject.startsWith('Cloop-salasanan'));
      expect(mail.text).toContain('Vaihda salasana');
      expect(mail.html).toContain('lang="fi"');
    });

    it.each([
      ['no email', {}],
      ['a malformed email', { email: 'nope' }],
    ])('refuses %s with 400', async (_, body) => {
      const response = await t.http.post(route('/api/v1/auth/password-reset')).send(body).expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('invitations', () => {
    it('e-mails a new address a signed link; signing up with it proves the address and joins, once', async () => {
      const owner = await signUp(t.http);
      const email = uniqueEmail('invitee');
      const invited = await invite(t, owner, email, { locale: 'fi' });
      expect(invited).toMatchObject({ status: 'invited', link: null });

      const mail = await inbox.next(email);
      expect(mail.subject).toContain('Kutsu organisaatioon');
      const token = tokenIn(mail, 'accept-invitation');

      const signedUp = (await signUpWith(t, email, token).expect(201)).body as AuthResponse;
      expect(signedUp.user.emailVerified).toBe(true);
      const auth = { Authorization: `Bearer ${signedUp.accessToken}` };
      expect(await organizationsOf(t, auth)).toContainEqual({
        id: owner.organizationId,
        name: expect.any(String) as string,
        role: 'admin',
      });

      const reused = await t.http
        .post(route('/api/v1/invitations/accept-link'))
        .set(auth)
        .send({ token })
        .expect(400);
      expect((reused.body as ErrorResponse).code).toBe('INVITATION_LINK_INVALID');
    });

    it('refuses a tampered link and a link for another address, joining nobody', async () => {
      const owner = await signUp(t.http);
      const email = uniqueEmail('invitee');
      await invite(t, owner, email);
      const token = tokenIn(await inbox.next(email), 'accept-invitation');
      const [payload = '', signature = ''] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { c: { m: string } };
      claims.c.m = 'mallory@example.test';
      const forged = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;

      const tampered = await signUpWith(t, 'mallory@example.test', forged).expect(400);
      expect((tampered.body as ErrorResponse).code).toBe('INVITATION_LINK_INVALID');
      const otherAddress = await signUpWith(t, 'mallory2@example.test', token).expect(400);
      expect((otherAddress.body as ErrorResponse).code).toBe('INVITATION_LINK_INVALID');
      // Nothing was created by either refusal, and the genuine link still works.
      await signUpWith(t, email, token).expect(201);
    });

    it('voids the earlier link when the invitation is sent again', async () => {
      const owner = await signUp(t.http);
      const email = uniqueEmail('invitee');
      await invite(t, owner, email);
      const first = tokenIn(await inbox.next(email), 'accept-invitation');
      await invite(t, owner, email);
      const second = tokenIn(await inbox.next(email, (m) => !m.text.includes(first)), 'accept-invitation');
      await signUpWith(t, email, first).expect(400);
      await signUpWith(t, email, second).expect(201);
    });

    it('gives an existing account a pending invitation it accepts in the console', async () => {
      const owner = await signUp(t.http, { name: 'Olive Owner' });
      const grace = await signUp(t.http);
      const invited = await invite(t, owner, grace.email);
      expect(invited.status).toBe('pending');
      expect((await organizationsOf(t, grace.auth)).map((o) => o.id)).toEqual([grace.organizationId]);

      const mail = await inbox.next(grace.email, (m) => m.text.includes('/console/invitations'));
      expect(mail.text).toContain('Olive Owner invited you');

      const pending = (await t.http.get(route('/api/v1/invitations')).set(grace.auth).expect(200))
        .body as PendingInvitation[];
      expect(pending).toEqual([
        expect.objectContaining({
          organizationId: owner.organizationId,
          role: 'admin',
          invitedBy: 'Olive Owner',
        }),
      ]);
      const joined = await t.http
        .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: pending[0]?.id }))
        .set(grace.auth)
        .expect(200);
      expect(joined.body).toMatchObject({ id: owner.organizationId, role: 'admin' });
      expect(await organizationsOf(t, grace.auth)).toHaveLength(2);
      expect((await t.http.get(route('/api/v1/invitations')).set(grace.auth).expect(200)).body).toEqual([]);
      await t.http
        .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: pending[0]?.id }))
        .set(grace.auth)
        .expect(404);
    });

    it('lets the invited account decline, and nobody else accept or decline', async () => {
      const owner = await signUp(t.http);
      const grace = await signUp(t.http);
      const stranger = await signUp(t.http);
      const { invitation } = await invite(t, owner, grace.email);
      await t.http
        .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: invitation.id }))
        .set(stranger.auth)
        .expect(404);
      await t.http
        .post(route('/api/v1/invitations/{invitationId}/decline', { invitationId: invitation.id }))
        .set(stranger.auth)
        .expect(404);
      await t.http
        .post(route('/api/v1/invitations/{invitationId}/decline', { invitationId: invitation.id }))
        .set(grace.auth)
        .expect(204);
      await t.http
        .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: invitation.id }))
        .set(grace.auth)
        .expect(404);
      expect(await organizationsOf(t, grace.auth)).toHaveLength(1);
    });

    it('makes an account made after the invitation, without the link, confirm its address before accepting', async () => {
      const owner = await signUp(t.http);
      const email = uniqueEmail('latecomer');
      await invite(t, owner, email);
      const late = (await signUpWith(t, email).expect(201)).body as AuthResponse;
      const auth = { Authorization: `Bearer ${late.accessToken}` };
      expect(await organizationsOf(t, auth)).toHaveLength(1);

      const [pending] = (await t.http.get(route('/api/v1/invitations')).set(auth).expect(200))
        .body as PendingInvitation[];
      const refused = await t.http
        .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: pending?.id }))
        .set(auth)
        .expect(403);
      expect((refused.body as ErrorResponse).code).toBe('EMAIL_NOT_VERIFIED');

      const verification = await inbox.next(email, (m) => m.subject.startsWith('Confirm your e-mail'));
      await t.http
        .post(route('/api/v1/auth/verify-email'))
        .send({ token: tokenIn(verification, 'verify-email') })
        .expect(204);
      await t.http
        .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: pending?.id }))
        .set(auth)
        .expect(200);
    });
  });

  describe('sign-up verification', () => {
    it('sends a confirmation link at sign-up; opening it confirms the address, a tampered one does not', async () => {
      const user = await signUp(t.http);
      const me = (await t.http.get(route('/api/v1/auth/me')).set(user.auth).expect(200)).body as MeResponse;
      expect(me.user.emailVerified).toBe(false);
      const token = tokenIn(
        await inbox.next(user.email, (m) => m.subject.startsWith('Confirm your e-mail')),
        'verify-email',
      );

      const flipped = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
      const tampered = await t.http
        .post(route('/api/v1/auth/verify-email'))
        .send({ token: flipped })
        .expect(400);
      expect((tampered.body as ErrorResponse).code).toBe('VERIFICATION_TOKEN_INVALID');

      await t.http.post(route('/api/v1/auth/verify-email')).send({ token }).expect(204);
      const after = (await t.http.get(route('/api/v1/auth/me')).set(user.auth).expect(200))
        .body as MeResponse;
      expect(after.user.emailVerified).toBe(true);

      // Proven: asking again sends nothing more.
      const before = inbox.to(user.email).length;
      await t.http.post(route('/api/v1/auth/verify-email/resend')).set(user.auth).expect(204);
      await t.app.get(Mailer).idle();
      expect(inbox.to(user.email)).toHaveLength(before);
    });
  });

  describe('lead notifications', () => {
    it("tells the site's team when a visitor leaves an address or asks for a person, honouring each one's choice", async () => {
      const owner = await signUp(t.http);
      const quiet = await signUp(t.http);
      await addMember(t.http, owner, quiet, 'member');
      await t.http
        .put(route('/api/v1/mail/preferences'))
        .set(quiet.auth)
        .send({ leadNotifications: false, locale: 'en' })
        .expect(200);
      const site = await createSite(t.http, owner, {
        name: 'Moon Shop',
        allowedOrigins: ['https://moon.example'],
      });

      const visitor = await createVisitorSession(t.http, site);
      const visitorEmail = uniqueEmail('visitor');
      await t.http
        .put(route('/api/v1/widget/contact'))
        .set(visitor.headers)
        .send({ email: visitorEmail })
        .expect(200);
      const lead = await inbox.next(owner.email, (m) => m.subject === 'New lead on Moon Shop');
      expect(lead.text).toContain('left their e-mail address');
      expect(lead.text).toContain(`${PUBLIC_URL}/console/inbox/`);
      // The visitor's address stays in the console, where access is checked.
      expect(`${lead.text}${lead.html}`).not.toContain(visitorEmail);

      const asker = await createVisitorSession(t.http, site);
      await sendVisitorMessage(t.http, asker.headers, 'Can I talk to a human please?');
      await inbox.next(owner.email, (m) => m.text.includes('asked to be contacted'));

      await t.app.get(Mailer).idle();
      expect(inbox.to(quiet.email).filter((m) => m.subject.includes('lead'))).toEqual([]);
    });
  });

  it('never writes an address, a subject or a body to the log', async () => {
    await t.app.get(Mailer).idle();
    const everything = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const mail of inbox.received) {
      for (const address of mail.to) expect(everything).not.toContain(address);
      expect(everything).not.toContain(mail.subject);
    }
  });
});

describe('e-mail while the SMTP server is down', () => {
  it('answers at once, then delivers when the server comes back', async () => {
    const inbox = await new SmtpInbox().start();
    const port = inbox.port;
    await inbox.stop();
    const t = await startTestApp({ env: { ...mailEnv(inbox) } });
    try {
      const user = await signUp(t.http);
      const started = Date.now();
      await t.http.post(route('/api/v1/auth/password-reset')).send({ email: user.email }).expect(204);
      expect(Date.now() - started).toBeLessThan(2_000);

      await inbox.start(port);
      const mail = await inbox.next(user.email, (m) => m.subject === 'Reset your Cloop password', 20_000);
      expect(tokenIn(mail, 'reset-password')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await t.close();
      await inbox.stop();
    }
  }, 40_000);
});

describe('e-mail off (no SMTP_URL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ rateLimits: { mail: { limit: 3, windowMs: 60_000 } } });
  });
  afterAll(() => t.close());

  it('says so, and refuses reset and confirmation e-mails the same way for every address', async () => {
    expect((await t.http.get(route('/api/v1/mail/status')).expect(200)).body).toEqual({ enabled: false });
    const user = await signUp(t.http);
    for (const email of [user.email, uniqueEmail('nobody')]) {
      const response = await t.http.post(route('/api/v1/auth/password-reset')).send({ email }).expect(409);
      expect((response.body as ErrorResponse).code).toBe('MAIL_DISABLED');
    }
    const resend = await t.http.post(route('/api/v1/auth/verify-email/resend')).set(user.auth).expect(409);
    expect((resend.body as ErrorResponse).code).toBe('MAIL_DISABLED');
    // The fourth mail request from this address within the window is rate-limited.
    const limited = await t.http
      .post(route('/api/v1/auth/password-reset'))
      .send({ email: user.email })
      .expect(429);
    expect((limited.body as ErrorResponse).code).toBe('RATE_LIMITED');
  });

  it('hands the owner the signed link to pass on, which joins the new address once', async () => {
    const owner = await signUp(t.http);
    const email = uniqueEmail('invitee');
    const invited = await invite(t, owner, email);
    if (invited.status !== 'invited' || invited.link === null) throw new Error('expected a link');
    expect(invited.link).toMatch(/^http:\/\/localhost:\d+\/console\/accept-invitation#token=/);
    const token = invited.link.split('#token=')[1] ?? '';
    const signedUp = (await signUpWith(t, email, token).expect(201)).body as AuthResponse;
    expect(await organizationsOf(t, { Authorization: `Bearer ${signedUp.accessToken}` })).toHaveLength(2);
    await signUpWith(t, uniqueEmail('again'), token).expect(400);
  });

  it('still lets an existing account accept its pending invitation', async () => {
    const owner = await signUp(t.http);
    const grace = await signUp(t.http);
    await addMember(t.http, owner, grace, 'member');
    expect(await organizationsOf(t, grace.auth)).toHaveLength(2);
  });

  it('lets an account made after the invitation join only through the link', async () => {
    const owner = await signUp(t.http);
    const email = uniqueEmail('latecomer');
    const invited = await invite(t, owner, email);
    const late = await signUp(t.http, { email });
    const refused = await t.http
      .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: invited.invitation.id }))
      .set(late.auth)
      .expect(403);
    expect((refused.body as ErrorResponse).code).toBe('EMAIL_NOT_VERIFIED');
    if (invited.status !== 'invited' || !invited.link) throw new Error('expected a link');
    const token = invited.link.split('#token=')[1] ?? '';
    await t.http.post(route('/api/v1/invitations/accept-link')).set(late.auth).send({ token }).expect(200);
    expect(await organizationsOf(t, late.auth)).toHaveLength(2);
  });
});
