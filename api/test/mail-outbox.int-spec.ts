import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AuditEvent, ErrorResponse, Page } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { Mailer } from '../src/mail/mailer';
import { PASSWORD, signUp, type SignedUpUser, uniqueEmail } from './support/factories';
import { SmtpInbox, tokenIn } from './support/smtp-inbox';
import { createScratchDatabase, startTestApp, type TestApp, type TestAppOptions } from './support/test-app';
import { route } from '@cloop/client/route';

const mailEnv = (inbox: SmtpInbox): Record<string, string> => ({
  SMTP_URL: inbox.url,
  MAIL_FROM: 'Cloop <cloop@example.test>',
  PUBLIC_URL: 'http://cloop.example.test',
});

function invite(t: TestApp, owner: SignedUpUser, email: string) {
  return t.http
    .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
    .set(owner.auth)
    .send({ email, role: 'member' });
}

const signUpWith = (t: TestApp, email: string, invitationToken: string) =>
  t.http
    .post(route('/api/v1/auth/signup'))
    .send({ email, password: PASSWORD, name: 'Grace', invitationToken });

describe('the mail outbox across a restart', () => {
  let dir: string;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloop-mail-outbox-'));
    if (process.env['DATABASE_URL']) scratch = await createScratchDatabase(process.env['DATABASE_URL']);
  });
  afterAll(async () => {
    await scratch?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends an invitation acknowledged while SMTP was down after the app is stopped and started again', async () => {
    const inbox = await new SmtpInbox().start();
    const port = inbox.port;
    await inbox.stop();
    // The same database and secrets for both lives of the app: on disk (PGlite) or a kept server database.
    const storage: TestAppOptions = scratch
      ? { env: { ...mailEnv(inbox), DATABASE_URL: scratch.url } }
      : { env: mailEnv(inbox), embeddedDataDir: join(dir, 'pglite') };
    const first = await startTestApp(storage);
    const email = uniqueEmail('invitee');
    let second: TestApp | null = null;
    try {
      const owner = await signUp(first.http);
      await invite(first, owner, email).expect(201);
      const waiting = await first.app
        .get(DataSource)
        .query<{ kind: string }[]>(`SELECT * FROM mail_outbox WHERE kind = 'invitation'`);
      expect(waiting).toHaveLength(1);
      // Neither the address nor the one-time link is readable in the table.
      const stored = JSON.stringify(waiting);
      expect(stored).not.toContain(email);
      expect(stored).not.toContain('accept-invitation');
      await first.close();

      await inbox.start(port);
      second = await startTestApp({ ...storage, env: { ...storage.env, ...first.sharedEnv } });
      const mail = await inbox.next(email, () => true, 20_000);
      await signUpWith(second, email, tokenIn(mail, 'accept-invitation')).expect(201);
      await second.app.get(Mailer).idle();
      // Sent: nothing of the message is left behind. (The owner's own confirmation message, also
      // queued while SMTP was down, may still wait for its next retry: not this test's concern.)
      expect(
        await second.app.get(DataSource).query(`SELECT id FROM mail_outbox WHERE kind = 'invitation'`),
      ).toEqual([]);
    } finally {
      await first.close();
      await second?.close();
      await inbox.stop();
    }
  }, 60_000);
});

const sharedServers = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

// Replicas need a database server to share: CI runs this with PostgreSQL and Redis.
(sharedServers ? describe : describe.skip)('the mail outbox with two replicas', () => {
  it('sends each message once, whichever replica queued it', async () => {
    const inbox = await new SmtpInbox().start();
    const port = inbox.port;
    await inbox.stop();
    const a = await startTestApp({ env: mailEnv(inbox) });
    const b = await startTestApp({ env: { ...mailEnv(inbox), ...a.sharedEnv } });
    try {
      const owner = await signUp(a.http);
      const emails = Array.from({ length: 8 }, (_, i) => uniqueEmail(`replica${i}`));
      // Queued while SMTP is down, so both replicas' workers find every message due at once.
      for (const [i, email] of emails.entries()) await invite(i % 2 ? b : a, owner, email).expect(201);
      await inbox.start(port);
      for (const email of emails) await inbox.next(email, () => true, 20_000);
      await Promise.all([a.app.get(Mailer).idle(), b.app.get(Mailer).idle()]);
      expect(emails.map((email) => inbox.to(email).length)).toEqual(emails.map(() => 1));
    } finally {
      await b.close();
      await a.close();
      await inbox.stop();
    }
  }, 60_000);
});

describe('e-mail limits per address', () => {
  let inbox: SmtpInbox;
  let t: TestApp;

  beforeAll(async () => {
    inbox = await new SmtpInbox().start();
    t = await startTestApp({
      env: mailEnv(inbox),
      rateLimits: { mailPerAddress: { limit: 3, windowMs: 60 * 60_000 } },
    });
  });
  afterAll(async () => {
    await t.close();
    await inbox.stop();
  });

  const resets = (email: string) =>
    inbox.to(email).filter((mail) => mail.subject === 'Reset your Cloop password');

  it('sends one address at most its share of reset and confirmation mail, answering the same, known or not', async () => {
    const user = await signUp(t.http); // its confirmation message is the first of 3
    const unknown = uniqueEmail('nobody');
    for (let i = 0; i < 4; i++) {
      for (const email of [user.email, unknown]) {
        const response = await t.http.post(route('/api/v1/auth/password-reset')).send({ email });
        expect({ status: response.status, body: response.body as unknown }).toEqual({
          status: 204,
          body: {},
        });
      }
    }
    await t.http.post(route('/api/v1/auth/verify-email/resend')).set(user.auth).expect(204);
    await t.app.get(Mailer).idle();
    expect(resets(user.email)).toHaveLength(2);
    expect(inbox.to(user.email)).toHaveLength(3);
    expect(inbox.to(unknown)).toEqual([]);

    // Another address is not affected.
    const other = await signUp(t.http);
    await t.http.post(route('/api/v1/auth/password-reset')).send({ email: other.email }).expect(204);
    await inbox.next(other.email, (mail) => mail.subject === 'Reset your Cloop password');
  });

  it('refuses a further invitation to the same address with 429, leaving the last link working', async () => {
    const owner = await signUp(t.http);
    const email = uniqueEmail('invitee');
    for (let i = 0; i < 3; i++) await invite(t, owner, email).expect(201);
    await t.app.get(Mailer).idle();
    const links = inbox.to(email).map((mail) => tokenIn(mail, 'accept-invitation'));
    expect(links).toHaveLength(3);

    const refused = await invite(t, owner, email).expect(429);
    expect((refused.body as ErrorResponse).code).toBe('RATE_LIMITED');
    await t.app.get(Mailer).idle();
    expect(inbox.to(email)).toHaveLength(3);
    await signUpWith(t, email, links[2] ?? '').expect(201);
  });
});

describe('declining an invitation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("is in the inviting organization's audit trail, by the person who declined", async () => {
    const owner = await signUp(t.http);
    const grace = await signUp(t.http);
    const invited = await invite(t, owner, grace.email).expect(201);
    const invitationId = (invited.body as { invitation: { id: string } }).invitation.id;
    await t.http
      .post(route('/api/v1/invitations/{invitationId}/decline', { invitationId }))
      .set(grace.auth)
      .expect(204);

    const events = (
      await t.http
        .get(route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId }))
        .set(owner.auth)
        .expect(200)
    ).body as Page<AuditEvent>;
    const declined = events.items.filter((event) => event.action === 'invitation.declined');
    expect(declined).toEqual([
      expect.objectContaining({
        actor: { kind: 'user', userId: grace.userId },
        target: { type: 'invitation', id: invitationId },
      }),
    ]);
    // Nothing reaches the decliner's own organization.
    const own = (
      await t.http
        .get(route('/api/v1/organizations/{orgId}/audit-events', { orgId: grace.organizationId }))
        .set(grace.auth)
        .expect(200)
    ).body as Page<AuditEvent>;
    expect(own.items.map((event) => event.action)).not.toContain('invitation.declined');
  });
});
