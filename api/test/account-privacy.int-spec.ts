import { randomBytes, randomUUID } from 'node:crypto';

import type {
  AuditEvent,
  ErasureResult,
  ErrorResponse,
  Message,
  Page,
  PrivacyExport,
  Site,
} from '@cloop/contracts';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import { exportedEntries } from '../src/privacy/personal-data-registry';
import {
  addMember,
  countAllRows,
  createSite,
  createVisitorSession,
  findTextAnywhere,
  findUuidAnywhere,
  getTranscript,
  PASSWORD,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

/** Letters g–z only: never part of a hex id or hash. */
function marker(length = 10): string {
  const letters = 'ghijklmnopqrstuvwxyz';
  return [...randomBytes(length)].map((byte) => letters[byte % letters.length] ?? 'z').join('');
}

describe("console users' own data: export and account deletion", () => {
  let t: TestApp;
  let db: DataSource;

  const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
    expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
      status,
      code,
    });
  };
  const deleteAccount = (user: SignedUpUser, password = PASSWORD) =>
    t.http.delete(route('/api/v1/auth/me')).set(user.auth).send({ password });
  const login = (user: SignedUpUser) =>
    t.http.post(route('/api/v1/auth/login')).send({ email: user.email, password: PASSWORD });
  const auditOf = async (owner: SignedUpUser, organizationId = owner.organizationId) =>
    (
      (
        await t.http
          .get(`${route('/api/v1/organizations/{orgId}/audit-events', { orgId: organizationId })}?limit=100`)
          .set(owner.auth)
          .expect(200)
      ).body as Page<AuditEvent>
    ).items;

  /** A person with a unique name and email, so a scan can find every copy of them. */
  const person = async () => {
    const word = marker();
    const name = `Person ${word}`;
    const user = await signUp(t.http, { name, email: `${word}@example.test` });
    return { ...user, name, word };
  };

  /** A site of the user's organization with a visitor conversation the user answered. */
  const siteWithReply = async (user: SignedUpUser, reply: string) => {
    const site = await createSite(t.http, user, { allowedOrigins: [ORIGIN] });
    const session = await createVisitorSession(t.http, site);
    await sendAndAwaitAnswer(t.http, session.headers, `Question ${marker()}`);
    const message = (
      await t.http
        .post(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
            siteId: site.id,
            conversationId: session.conversation.id,
          }),
        )
        .set(user.auth)
        .send({ id: randomUUID(), body: reply })
        .expect(201)
    ).body as Message;
    return { site, session, message };
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('export my account', () => {
    it('has one section per registered table, only my rows, and no secrets', async () => {
      const me = await person();
      const colleague = await person();
      const stranger = await person();
      await addMember(t.http, me, colleague, 'member');
      await addMember(t.http, stranger, me, 'admin');
      const { message } = await siteWithReply(me, 'My own reply');
      const invited = `${marker()}@example.test`;
      await t.http
        .post(route('/api/v1/organizations/{orgId}/members', { orgId: me.organizationId }))
        .set(me.auth)
        .send({ email: invited, role: 'member' })
        .expect(201);

      const response = await t.http.get(route('/api/v1/auth/me/export')).set(me.auth).expect(200);
      const document = JSON.parse(response.text) as PrivacyExport;

      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="cloop-account-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      expect(Object.keys(document.data)).toEqual(exportedEntries('user').map((entry) => entry.table));
      expect(Object.keys(document.data).sort()).toEqual(
        [
          'users',
          'memberships',
          'refresh_tokens',
          'sso_sessions',
          'password_resets',
          'invitations',
          'api_keys',
          'messages',
          'privacy_requests',
          'audit_events',
        ].sort(),
      );
      expect(document.subject).toEqual({ kind: 'user', value: me.userId });
      expect(document.data['users']).toEqual([
        {
          id: me.userId,
          email: me.email,
          name: me.name,
          email_verified_at: null,
          locale: 'en',
          lead_notifications: true,
          created_at: expect.any(String) as string,
          updated_at: expect.any(String) as string,
        },
      ]);
      expect(
        (document.data['memberships'] ?? [])
          .map((row) => [row['organization_id'], row['role']])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual(
        [
          [me.organizationId, 'owner'],
          [stranger.organizationId, 'admin'],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      expect((document.data['messages'] ?? []).map((row) => [row['id'], row['body']])).toEqual([
        [message.id, 'My own reply'],
      ]);
      expect(document.data['refresh_tokens']).toHaveLength(1);
      expect(document.data['invitations']).toEqual([]);
      // This export itself is in the ledger, made by me.
      expect(document.data['privacy_requests']).toEqual([
        expect.objectContaining({ kind: 'export', subject_kind: 'user', site_id: null }),
      ]);
      const actions = (document.data['audit_events'] ?? []).map((row) => row['action']);
      expect(actions.sort()).toEqual(
        // Joining is an invitation the member accepts: invited, then added.
        ['member.added', 'member.invited', 'member.invited', 'site.created'].sort(),
      );

      const text = response.text;
      expect(text).not.toMatch(/password_hash|token_hash/);
      const [secrets] = await db.query<{ password: string; token: string }[]>(
        `SELECT u.password_hash AS password, encode(r.token_hash, 'hex') AS token
           FROM users u JOIN refresh_tokens r ON r.user_id = u.id WHERE u.id = $1`,
        [me.userId],
      );
      expect(text).not.toContain(secrets?.password ?? 'missing');
      expect(text).not.toContain(secrets?.token ?? 'missing');
      // Other people's data is not mine to receive.
      for (const other of [colleague.email, stranger.email, invited, colleague.name, stranger.name])
        expect(text).not.toContain(other);
      expect(text).not.toContain(colleague.refreshToken);

      expect(document.processing.rights.some((right) => right.includes('Art. 17'))).toBe(true);
      const [ledger] = await db.query<{ subject_hash: string; completed_at: Date | null; counts: object }[]>(
        `SELECT subject_hash, completed_at, counts FROM privacy_requests WHERE actor_user_id = $1`,
        [me.userId],
      );
      expect(ledger?.completed_at).not.toBeNull();
      expect(ledger?.counts).toEqual({
        users: 1,
        memberships: 2,
        refresh_tokens: 1,
        sso_sessions: 0,
        password_resets: 0,
        audit_events: 4,
        privacy_requests: 1,
        invitations: 0,
        api_keys: 0,
        messages: 1,
      });
      expect(ledger?.subject_hash).not.toContain(me.userId.slice(0, 8));
    });
  });

  describe('delete my account', () => {
    it('refuses a wrong password with 403 WRONG_PASSWORD and changes nothing', async () => {
      const me = await person();
      await siteWithReply(me, 'Still here');
      const before = await countAllRows(db);
      expectCode(await deleteAccount(me, 'not my password'), 403, 'WRONG_PASSWORD');
      expectCode(
        await t.http.delete(route('/api/v1/auth/me')).set(me.auth).send({}),
        400,
        'VALIDATION_FAILED',
      );
      expect(await countAllRows(db)).toEqual(before);
      await login(me).expect(200);
    });

    it('refuses the last owner of an organization with other members (409 LAST_OWNER), changing nothing', async () => {
      const me = await person();
      const colleague = await person();
      await addMember(t.http, me, colleague, 'admin');
      const before = await countAllRows(db);
      const response = await deleteAccount(me);
      expectCode(response, 409, 'LAST_OWNER');
      expect((response.body as ErrorResponse).message).toContain(`${me.name}'s organization`);
      expect(await countAllRows(db)).toEqual(before);
      await login(me).expect(200);
    });

    it('after handing over: the account goes, the organizations stay, replies stay without an author', async () => {
      const me = await person();
      const colleague = await person();
      const other = await person();
      await addMember(t.http, me, colleague, 'member');
      await addMember(t.http, other, me, 'member');
      const { site, session, message } = await siteWithReply(me, 'Reply by me');
      const invited = `${marker()}@example.test`;
      await t.http
        .post(route('/api/v1/organizations/{orgId}/members', { orgId: me.organizationId }))
        .set(me.auth)
        .send({ email: invited, role: 'member' })
        .expect(201);
      await t.http
        .patch(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: me.organizationId,
            userId: colleague.userId,
          }),
        )
        .set(me.auth)
        .send({ role: 'owner' })
        .expect(200);
      const before = await countAllRows(db);
      const tokens = (
        await db.query<{ count: number }[]>(
          `SELECT count(*)::int AS count FROM refresh_tokens WHERE user_id = $1`,
          [me.userId],
        )
      )[0]?.count;

      const response = await deleteAccount(me).expect(200);

      expect(response.body as ErasureResult).toEqual({
        deleted: {
          organizations: 0,
          sites: 0,
          visitors: 0,
          conversations: 0,
          messages: 0,
          invitations: 0,
          password_resets: 0,
          refresh_tokens: tokens,
          sso_sessions: 0,
          memberships: 2,
          users: 1,
        },
      });
      expectCode(await login(me), 401, 'INVALID_CREDENTIALS');
      expectCode(await t.http.get(route('/api/v1/auth/me')).set(me.auth), 401, 'UNAUTHENTICATED');
      expectCode(
        await t.http.post(route('/api/v1/auth/refresh')).send({ refreshToken: me.refreshToken }),
        401,
        'INVALID_REFRESH_TOKEN',
      );
      // Both organizations and the site survive; the reply stays in the visitor's transcript.
      await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(colleague.auth)
        .expect(200);
      await t.http
        .get(route('/api/v1/organizations/{orgId}/members', { orgId: other.organizationId }))
        .set(other.auth)
        .expect(200);
      const transcript = await getTranscript(t.http, colleague, site.id, session.conversation.id);
      expect(transcript.messages.find((m) => m.id === message.id)).toMatchObject({
        author: 'agent',
        body: message.body,
        authorName: null,
      });
      const [invitation] = await db.query<{ invited_by: string | null }[]>(
        `SELECT invited_by FROM invitations WHERE email = $1`,
        [invited],
      );
      expect(invitation).toEqual({ invited_by: null });
      const after = await countAllRows(db);
      expect(after).toEqual({
        ...before,
        users: (before['users'] ?? 0) - 1,
        memberships: (before['memberships'] ?? 0) - 2,
        refresh_tokens: (before['refresh_tokens'] ?? 0) - (tokens ?? 0),
        privacy_requests: (before['privacy_requests'] ?? 0) + 1,
        audit_events: (before['audit_events'] ?? 0) + 2,
      });
      // Each surviving organization's trail says the account went (by id only).
      for (const [owner, organizationId] of [
        [colleague, me.organizationId],
        [other, other.organizationId],
      ] as const) {
        expect((await auditOf(owner, organizationId))[0]).toMatchObject({
          action: 'account.deleted',
          actor: { kind: 'user', userId: me.userId },
          target: { type: 'user', id: me.userId },
        });
      }
      // The account's ledger entry names nobody and points at no account.
      const [ledger] = await db.query<{ actor_user_id: string | null; subject_kind: string }[]>(
        `SELECT actor_user_id, subject_kind FROM privacy_requests WHERE kind = 'erase' ORDER BY received_at DESC LIMIT 1`,
      );
      expect(ledger).toEqual({ actor_user_id: null, subject_kind: 'user' });
      // No copy of the person's name or email is left anywhere.
      expect(await findTextAnywhere(db, me.email)).toEqual({});
      expect(await findTextAnywhere(db, me.word)).toEqual({});
    });

    it('two owners deleting their accounts at once: one goes, the other is the last owner (409)', async () => {
      const first = await person();
      const second = await person();
      const staff = await person();
      await addMember(t.http, first, second, 'owner');
      await addMember(t.http, first, staff, 'member');
      const [a, b] = await t.concurrently(() => Promise.all([deleteAccount(first), deleteAccount(second)]));
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const survivor = a.status === 200 ? second : first;
      expectCode(a.status === 200 ? b : a, 409, 'LAST_OWNER');
      const owners = await db.query<{ user_id: string }[]>(
        `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner'`,
        [first.organizationId],
      );
      expect(owners).toEqual([{ user_id: survivor.userId }]);
    });

    it('deletes an organization the user is alone in, with its sites and their conversations', async () => {
      const me = await person();
      const { site, session } = await siteWithReply(me, 'Alone here');
      const second = await createSite(t.http, me, { name: 'Second shop', allowedOrigins: [ORIGIN] });
      const bystander = await person();
      const { site: otherSite } = await siteWithReply(bystander, 'Not affected');
      const otherBefore = await db.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM messages WHERE site_id = $1`,
        [otherSite.id],
      );
      const before = await countAllRows(db);
      const mine = async (table: string, column: string, id: string) =>
        (
          await db.query<{ count: number }[]>(
            `SELECT count(*)::int AS count FROM ${table} WHERE ${column} = $1`,
            [id],
          )
        )[0]?.count ?? -1;
      const removed = {
        visitors: await mine('visitors', 'site_id', site.id),
        conversations: await mine('conversations', 'site_id', site.id),
        messages: await mine('messages', 'site_id', site.id),
        audit_events: await mine('audit_events', 'organization_id', me.organizationId),
      };
      expect(removed).toEqual({ visitors: 1, conversations: 1, messages: 3, audit_events: 2 });

      const response = await deleteAccount(me).expect(200);

      for (const id of [me.organizationId, site.id, second.id, session.conversation.id, me.userId])
        expect(await findUuidAnywhere(db, id)).toEqual({});
      expect(await findTextAnywhere(db, me.email)).toEqual({});
      expect(await findTextAnywhere(db, me.word)).toEqual({});
      expect(await findTextAnywhere(db, session.visitorId)).toEqual({});
      expect(
        await db.query<{ count: number }[]>(
          `SELECT count(*)::int AS count FROM messages WHERE site_id = $1`,
          [otherSite.id],
        ),
      ).toEqual(otherBefore);
      const after = await countAllRows(db);
      expect(after).toEqual({
        ...before,
        users: (before['users'] ?? 0) - 1,
        organizations: (before['organizations'] ?? 0) - 1,
        memberships: (before['memberships'] ?? 0) - 1,
        refresh_tokens: (before['refresh_tokens'] ?? 0) - 1,
        sites: (before['sites'] ?? 0) - 2,
        visitors: (before['visitors'] ?? 0) - removed.visitors,
        conversations: (before['conversations'] ?? 0) - removed.conversations,
        messages: (before['messages'] ?? 0) - removed.messages,
        audit_events: (before['audit_events'] ?? 0) - removed.audit_events,
        privacy_requests: (before['privacy_requests'] ?? 0) + 1,
      });
      await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(bystander.auth)
        .expect(404);
      // Rows deleted per table, the membership (gone with its organization) included. Last: the
      // checks above hold whatever this reports.
      expect(response.body as ErasureResult).toEqual({
        deleted: {
          organizations: 1,
          sites: 2,
          visitors: 1,
          conversations: 1,
          messages: 3,
          invitations: 0,
          password_resets: 0,
          refresh_tokens: 1,
          sso_sessions: 0,
          memberships: 1,
          users: 1,
        },
      });
    });
  });

  it('keeps sites of deleted organizations unreachable by their old public key', async () => {
    const me = await person();
    const site: Site = await createSite(t.http, me, { allowedOrigins: [ORIGIN] });
    await deleteAccount(me).expect(200);
    const response = await t.http
      .get(route('/api/v1/widget/config'))
      .set({ 'X-Cloop-Site-Key': site.publicKey, Origin: ORIGIN });
    expectCode(response, 401, 'SITE_KEY_INVALID');
  });
});
