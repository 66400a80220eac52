import { PassThrough, Readable } from 'node:stream';

import type { AuditEvent, AuthResponse, MeResponse, Page } from '@cloop/contracts';

import type { CliIo } from '../src/cli/password-input';
import { createUserCommand, resetPasswordCommand } from '../src/cli/user-commands';
import { UsersRepository } from '../src/users/users.repository';
import { PASSWORD, type SignedUpUser, signUp, uniqueEmail } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const NEW_PASSWORD = 'a brand new passphrase 42';

interface Captured extends CliIo {
  out: () => string;
  err: () => string;
}

/** Standard streams for one command: `input` is piped on stdin (no terminal). */
function pipedIo(input: string): Captured {
  let out = '';
  let err = '';
  return {
    stdin: Readable.from([input]),
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

/** Standard streams of a terminal on which the operator types each line. */
function terminalIo(lines: string[]): Captured {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const io = pipedIo('');
  stdin.end(lines.map((line) => `${line}\r`).join(''));
  return { ...io, stdin };
}

async function login(t: TestApp, email: string, password: string): Promise<number> {
  return (await t.http.post(route('/api/v1/auth/login')).send({ email, password })).status;
}

describe('cloop user commands', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Sign-up closed: the operator's commands must work regardless.
    t = await startTestApp({ env: { ALLOW_SIGNUP: 'false' } });
    await signUp(t.http); // the first account of an install may always sign up
  });
  afterAll(() => t.close());

  describe('user:create', () => {
    it('creates an account that owns a new organization, with sign-up closed, and prints no password', async () => {
      const email = uniqueEmail('operator-made');
      await t.http
        .post(route('/api/v1/auth/signup'))
        .send({ email: uniqueEmail(), password: PASSWORD, name: 'Refused' })
        .expect(403);
      const io = pipedIo(`${NEW_PASSWORD}\n`);

      const code = await createUserCommand(t.app, ['--email', email, '--name', 'Ada Operator'], io);

      expect(code).toBe(0);
      const created = JSON.parse(io.out()) as { user: { id: string; email: string }; organizationId: string };
      expect(created.user).toMatchObject({ email, name: 'Ada Operator' });
      expect(`${io.out()}${io.err()}`).not.toContain(NEW_PASSWORD);
      const signedIn = await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email, password: NEW_PASSWORD })
        .expect(200);
      const me = await t.http
        .get(route('/api/v1/auth/me'))
        .set('Authorization', `Bearer ${(signedIn.body as AuthResponse).accessToken}`)
        .expect(200);
      expect((me.body as { organizations: { id: string; role: string }[] }).organizations).toEqual([
        expect.objectContaining({ id: created.organizationId, role: 'owner' }),
      ]);
    });

    it('takes the password typed twice at a terminal, without echoing it', async () => {
      const email = uniqueEmail('typed');
      const io = terminalIo([NEW_PASSWORD, NEW_PASSWORD]);

      expect(await createUserCommand(t.app, ['--email', email, '--name', 'Typist'], io)).toBe(0);

      expect(io.err()).toContain('New password:');
      expect(`${io.out()}${io.err()}`).not.toContain(NEW_PASSWORD);
      expect(await login(t, email, NEW_PASSWORD)).toBe(200);
    });

    it('takes the password from --password', async () => {
      const email = uniqueEmail('flag');
      const io = pipedIo('');
      expect(
        await createUserCommand(t.app, ['--email', email, '--name', 'Flag', '--password', NEW_PASSWORD], io),
      ).toBe(0);
      expect(io.out()).not.toContain(NEW_PASSWORD);
      expect(await login(t, email, NEW_PASSWORD)).toBe(200);
    });

    it.each([
      ['a missing --name', ['--email', 'x@example.test'], NEW_PASSWORD, /--name is required/],
      ['a missing --email', ['--name', 'X'], NEW_PASSWORD, /--email is required/],
      [
        'an unknown option',
        ['--email', 'x@example.test', '--name', 'X', '--role', 'owner'],
        NEW_PASSWORD,
        /role/,
      ],
      ['no password on standard input', ['--email', 'x@example.test', '--name', 'X'], '', /No password/],
      ['an invalid email', ['--email', 'not-an-email', '--name', 'X'], NEW_PASSWORD, /email/],
      ['a weak password', ['--email', 'x@example.test', '--name', 'X'], 'password', /password/i],
      ['a password typed differently twice', ['--email', 'x@example.test', '--name', 'X'], null, /differ/],
    ])('refuses %s and creates nothing', async (_, args, input, message) => {
      const io = input === null ? terminalIo([NEW_PASSWORD, 'something else']) : pipedIo(`${input}\n`);
      await expect(createUserCommand(t.app, args, io)).rejects.toThrow(message);
      expect(await t.app.get(UsersRepository).findByEmail('x@example.test')).toBeNull();
    });

    it('refuses an email that already has an account and leaves that account as it was', async () => {
      const existing = await createWithCli(t, uniqueEmail('taken'));
      await expect(
        createUserCommand(
          t.app,
          ['--email', existing, '--name', 'Impostor'],
          pipedIo('another passphrase 99\n'),
        ),
      ).rejects.toThrow(/already exists/);
      expect(await login(t, existing, NEW_PASSWORD)).toBe(200);
    });
  });

  describe('user:password', () => {
    it('sets a new password, ends every session of the user and records it in the audit trail', async () => {
      const user = await signedInUser(t);
      const io = pipedIo(`${NEW_PASSWORD}\n`);

      expect(await resetPasswordCommand(t.app, ['--email', user.email.toUpperCase()], io)).toBe(0);

      expect(`${io.out()}${io.err()}`).not.toContain(NEW_PASSWORD);
      expect(await login(t, user.email, PASSWORD)).toBe(401);
      expect(await login(t, user.email, NEW_PASSWORD)).toBe(200);
      await t.http.post(route('/api/v1/auth/refresh')).send({ refreshToken: user.refreshToken }).expect(401);
      await t.http.get(route('/api/v1/auth/me')).set(user.auth).expect(401);
      const fresh = (
        await t.http
          .post(route('/api/v1/auth/login'))
          .send({ email: user.email, password: NEW_PASSWORD })
          .expect(200)
      ).body as AuthResponse;
      const audit = await t.http
        .get(route('/api/v1/organizations/{orgId}/audit-events', { orgId: user.organizationId }))
        .set('Authorization', `Bearer ${fresh.accessToken}`)
        .expect(200);
      expect((audit.body as Page<AuditEvent>).items).toContainEqual(
        expect.objectContaining({
          action: 'auth.password_reset',
          actor: { kind: 'system', userId: null },
          target: { type: 'user', id: user.userId },
        }),
      );
    });

    it('answers an unknown email with exit code 1 and changes nothing', async () => {
      const io = pipedIo(`${NEW_PASSWORD}\n`);
      expect(await resetPasswordCommand(t.app, ['--email', uniqueEmail('nobody')], io)).toBe(1);
      expect(io.err()).toContain('No account has this email');
    });

    it('refuses a weak password and keeps the old one and the sessions', async () => {
      const user = await signedInUser(t);
      await expect(
        resetPasswordCommand(t.app, ['--email', user.email], pipedIo(`${user.email}\n`)),
      ).rejects.toThrow(/password/i);
      expect(await login(t, user.email, PASSWORD)).toBe(200);
      await t.http.get(route('/api/v1/auth/me')).set(user.auth).expect(200);
    });
  });
});

/** An account made through the command; returns its email. */
async function createWithCli(t: TestApp, email: string, password = NEW_PASSWORD): Promise<string> {
  const io = pipedIo(`${password}\n`);
  expect(await createUserCommand(t.app, ['--email', email, '--name', 'Made'], io)).toBe(0);
  return email;
}

/** An account (sign-up is closed, so made by the command) with {@link PASSWORD} and a session. */
async function signedInUser(t: TestApp): Promise<SignedUpUser> {
  const email = await createWithCli(t, uniqueEmail('session'), PASSWORD);
  const body = (
    await t.http.post(route('/api/v1/auth/login')).send({ email, password: PASSWORD }).expect(200)
  ).body as AuthResponse;
  const auth = { Authorization: `Bearer ${body.accessToken}` };
  const me = (await t.http.get(route('/api/v1/auth/me')).set(auth).expect(200)).body as MeResponse;
  return {
    email,
    userId: body.user.id,
    organizationId: me.organizations[0]?.id ?? '',
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    auth,
  };
}
