import { randomUUID } from 'node:crypto';

import type {
  AuditAction,
  AuditEvent,
  AuthResponse,
  ErrorResponse,
  InviteMemberResponse,
  Page,
  Site,
} from '@cloop/contracts';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import { GENESIS_HASH } from '../src/audit/audit-chain';
import { AuditService } from '../src/audit/audit.service';
import {
  addMember,
  createSite,
  createVisitorSession,
  PASSWORD,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
  uniqueEmail,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';
const CLIENT_IP = '203.0.113.77';

interface StoredEvent {
  id: string;
  organization_id: string;
  seq: number;
  prev_hash: string;
  hash: string;
}

describe('audit trail', () => {
  let t: TestApp;
  let db: DataSource;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let otherOwner: SignedUpUser;
  let site: Site;
  /** Everything personal the actions below handle: none of it may reach the trail. */
  const personal: string[] = [CLIENT_IP];

  const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
    expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
      status,
      code,
    });
  };
  const events = async (organizationId = owner.organizationId, user = owner): Promise<AuditEvent[]> => {
    const items: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
      const response = await t.http
        .get(
          `${route('/api/v1/organizations/{orgId}/audit-events', { orgId: organizationId })}?${query.toString()}`,
        )
        .set(user.auth)
        .expect(200);
      const page = response.body as Page<AuditEvent>;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  const latest = async (action: AuditAction, organizationId = owner.organizationId, user = owner) =>
    (await events(organizationId, user)).find((event) => event.action === action);
  const chains = () =>
    db.query<StoredEvent[]>(
      `SELECT id, organization_id, seq::int AS seq, prev_hash, hash FROM audit_events ORDER BY organization_id, seq`,
    );
  const named = async (label: string, name: string) => {
    const email = uniqueEmail(label);
    personal.push(email, name);
    return signUp(t.http, { email, name });
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    owner = await named('owner', 'Olivia Auditowner');
    admin = await named('admin', 'Aino Auditadmin');
    member = await named('member', 'Maija Auditmember');
    otherOwner = await named('other', 'Otto Auditother');
    await addMember(t.http, owner, admin, 'admin');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    // Another organization with a chain of its own.
    await createSite(t.http, otherOwner, { name: 'Other shop' });
  });
  afterAll(() => t.close());

  describe('records', () => {
    it('a failed sign-in of an existing account, without the address it came from', async () => {
      await t.http
        .post(route('/api/v1/auth/login'))
        .set('X-Forwarded-For', CLIENT_IP)
        .send({ email: admin.email, password: 'wrong password entirely' })
        .expect(401);
      const deadline = Date.now() + 5000;
      let event: AuditEvent | undefined;
      while (!event && Date.now() < deadline) {
        event = await latest('auth.login_failed');
        if (!event) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(event).toMatchObject({
        actor: { kind: 'anonymous', userId: null },
        target: { type: 'user', id: admin.userId },
        details: {},
      });
      // In each organization the account belongs to.
      expect(await latest('auth.login_failed', admin.organizationId, admin)).toBeDefined();
    });

    it('a reused refresh token', async () => {
      const session = (
        await t.http
          .post(route('/api/v1/auth/login'))
          .send({ email: admin.email, password: PASSWORD })
          .expect(200)
      ).body as AuthResponse;
      await t.http
        .post(route('/api/v1/auth/refresh'))
        .send({ refreshToken: session.refreshToken })
        .expect(200);
      await t.http
        .post(route('/api/v1/auth/refresh'))
        .send({ refreshToken: session.refreshToken })
        .expect(401);
      const event = await latest('auth.refresh_reused');
      expect(event).toMatchObject({
        actor: { kind: 'anonymous', userId: null },
        target: { type: 'user', id: admin.userId },
      });
      expect(event?.details).toEqual({ session: expect.any(String) as string });
      personal.push(session.refreshToken);
    });

    it('membership changes: invited, added, role changed, removed, invitation revoked', async () => {
      const invitedEmail = uniqueEmail('invitee');
      personal.push(invitedEmail);
      const invited = (
        await t.http
          .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
          .set(owner.auth)
          .send({ email: invitedEmail, role: 'admin' })
          .expect(201)
      ).body as InviteMemberResponse;
      if (invited.status !== 'invited') throw new Error('expected an invitation');
      expect(await latest('member.invited')).toMatchObject({
        actor: { kind: 'user', userId: owner.userId },
        target: { type: 'invitation', id: invited.invitation.id },
        details: { role: 'admin' },
      });
      await t.http
        .delete(
          route('/api/v1/organizations/{orgId}/invitations/{invitationId}', {
            orgId: owner.organizationId,
            invitationId: invited.invitation.id,
          }),
        )
        .set(owner.auth)
        .expect(204);
      expect(await latest('invitation.revoked')).toMatchObject({
        actor: { kind: 'user', userId: owner.userId },
        target: { type: 'invitation', id: invited.invitation.id },
      });

      await addMember(t.http, owner, member, 'member');
      // The member joins by accepting the owner's invitation: they are the actor.
      expect(await latest('member.added')).toMatchObject({
        actor: { kind: 'user', userId: member.userId },
        target: { type: 'user', id: member.userId },
        details: { role: 'member', by: 'invitation' },
      });
      await t.http
        .patch(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: owner.organizationId,
            userId: member.userId,
          }),
        )
        .set(owner.auth)
        .send({ role: 'admin' })
        .expect(200);
      expect(await latest('member.role_changed')).toMatchObject({
        actor: { kind: 'user', userId: owner.userId },
        target: { type: 'user', id: member.userId },
        details: { from: 'member', to: 'admin' },
      });
      await t.http
        .patch(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: owner.organizationId,
            userId: member.userId,
          }),
        )
        .set(owner.auth)
        .send({ role: 'member' })
        .expect(200);
      await t.http
        .delete(
          route('/api/v1/organizations/{orgId}/members/{userId}', {
            orgId: owner.organizationId,
            userId: member.userId,
          }),
        )
        .set(owner.auth)
        .expect(204);
      expect(await latest('member.removed')).toMatchObject({
        actor: { kind: 'user', userId: owner.userId },
        target: { type: 'user', id: member.userId },
        details: { role: 'member', left: false },
      });
      await addMember(t.http, owner, member, 'member');
    });

    it('site changes: created, updated, key rotated, deleted', async () => {
      const shop = await createSite(t.http, admin, {
        organizationId: owner.organizationId,
        name: 'Audited shop',
      });
      expect(await latest('site.created')).toMatchObject({
        actor: { kind: 'user', userId: admin.userId },
        target: { type: 'site', id: shop.id },
      });
      await t.http
        .patch(route('/api/v1/sites/{siteId}', { siteId: shop.id }))
        .set(admin.auth)
        .send({ name: 'Renamed shop' })
        .expect(200);
      expect(await latest('site.updated')).toMatchObject({
        target: { type: 'site', id: shop.id },
        details: { fields: ['name'] },
      });
      await t.http
        .post(route('/api/v1/sites/{siteId}/rotate-key', { siteId: shop.id }))
        .set(admin.auth)
        .expect(200);
      expect(await latest('site.key_rotated')).toMatchObject({
        actor: { kind: 'user', userId: admin.userId },
        target: { type: 'site', id: shop.id },
      });
      await t.http
        .delete(route('/api/v1/sites/{siteId}', { siteId: shop.id }))
        .set(owner.auth)
        .expect(204);
      expect(await latest('site.deleted')).toMatchObject({
        actor: { kind: 'user', userId: owner.userId },
        target: { type: 'site', id: shop.id },
      });
    });

    it('a deleted conversation and privacy requests, with counts only', async () => {
      const words = `Secret question ${randomUUID()}`;
      personal.push(words);
      const session = await createVisitorSession(t.http, site);
      personal.push(session.visitorId);
      await sendAndAwaitAnswer(t.http, session.headers, words);
      const email = uniqueEmail('lead');
      personal.push(email);
      await t.http.put(route('/api/v1/widget/contact')).set(session.headers).send({ email }).expect(200);

      await t.http
        .post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId: site.id }))
        .set(admin.auth)
        .send({ email })
        .expect(200);
      const exported = await latest('privacy.exported');
      expect(exported).toMatchObject({
        actor: { kind: 'user', userId: admin.userId },
        target: { type: 'privacy_request', id: expect.any(String) as string },
        details: { siteId: site.id, subjectKind: 'email' },
      });

      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: session.conversation.id,
          }),
        )
        .set(admin.auth)
        .expect(204);
      expect(await latest('conversation.deleted')).toMatchObject({
        actor: { kind: 'user', userId: admin.userId },
        target: { type: 'conversation', id: session.conversation.id },
        details: { siteId: site.id, messages: 2 },
      });

      const again = await createVisitorSession(t.http, site, { visitorId: session.visitorId });
      await sendAndAwaitAnswer(t.http, again.headers, words);
      await t.http.delete(route('/api/v1/widget/privacy')).set(again.headers).expect(200);
      const erased = await latest('privacy.erased');
      expect(erased).toMatchObject({
        actor: { kind: 'visitor', userId: null },
        target: { type: 'privacy_request', id: expect.any(String) as string },
        details: {
          siteId: site.id,
          subjectKind: 'visitor',
          deleted: { messages: 2, conversations: 1, visitors: 1 },
        },
      });
    });

    it('a deleted account, in the organization that survives it', async () => {
      const leaver = await named('leaver', 'Lauri Auditleaver');
      await addMember(t.http, owner, leaver, 'member');
      await t.http.delete(route('/api/v1/auth/me')).set(leaver.auth).send({ password: PASSWORD }).expect(200);
      expect(await latest('account.deleted')).toMatchObject({
        actor: { kind: 'user', userId: leaver.userId },
        target: { type: 'user', id: leaver.userId },
        details: { role: 'member' },
      });
    });

    it('keeps emails, names, message text and IP addresses out of every row', async () => {
      const rows = await db.query<Record<string, unknown>[]>(`SELECT * FROM audit_events`);
      expect(rows.length).toBeGreaterThan(15);
      const text = JSON.stringify(rows).toLowerCase();
      for (const value of personal) expect(text).not.toContain(value.toLowerCase());
      expect(text).not.toMatch(/@example\.test|\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
    });
  });

  describe('chain', () => {
    it('numbers each organization 1..n without gaps, each row linked to the previous hash', async () => {
      // Concurrent writers to one chain must still line up.
      await t.concurrently(() =>
        Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            t.http
              .post(route('/api/v1/sites'))
              .set(owner.auth)
              .send({ organizationId: owner.organizationId, name: `Parallel ${index}` })
              .expect(201),
          ),
        ),
      );
      const rows = await chains();
      const byOrganization = new Map<string, StoredEvent[]>();
      for (const row of rows)
        byOrganization.set(row.organization_id, [...(byOrganization.get(row.organization_id) ?? []), row]);
      expect(byOrganization.size).toBeGreaterThanOrEqual(3);
      for (const chain of byOrganization.values()) {
        expect(chain.map((row) => row.seq)).toEqual(chain.map((_, index) => index + 1));
        expect(chain.map((row) => row.prev_hash)).toEqual([
          GENESIS_HASH,
          ...chain.slice(0, -1).map((row) => row.hash),
        ]);
        expect(new Set(chain.map((row) => row.hash)).size).toBe(chain.length);
      }
      const verification = await t.app.get(AuditService).verify();
      expect(verification).toMatchObject({
        chains: byOrganization.size,
        events: rows.length,
        unkeyedEvents: 0,
        breaks: [],
      });
    });

    it.each([
      ['UPDATE', `UPDATE audit_events SET details = '{"x":1}'`],
      ['DELETE', `DELETE FROM audit_events`],
      ['TRUNCATE', `TRUNCATE audit_events`],
      ['UPDATE of one row', `UPDATE audit_events SET action = 'site.created' WHERE seq = 1`],
    ])('refuses %s', async (_, statement) => {
      const before = await chains();
      await expect(db.query(statement)).rejects.toThrow(/append-only/);
      expect(await chains()).toEqual(before);
    });

    it('reports the first tampered row of a chain, and only that chain', async () => {
      const chain = (await chains()).filter((row) => row.organization_id === owner.organizationId);
      const middle = chain[Math.floor(chain.length / 2)];
      if (!middle) throw new Error('empty chain');
      const [original] = await db.query<{ details: string }[]>(
        `SELECT details::text AS details FROM audit_events WHERE id = $1`,
        [middle.id],
      );
      const tamper = async (statement: string, params: unknown[]) => {
        await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
        try {
          await db.query(statement, params);
        } finally {
          await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
        }
      };

      await tamper(`UPDATE audit_events SET details = '{"role":"owner"}' WHERE id = $1`, [middle.id]);
      const tampered = await t.app.get(AuditService).verify();
      expect(tampered.breaks).toEqual([
        { organizationId: owner.organizationId, id: middle.id, seq: middle.seq, reason: 'hash mismatch' },
      ]);

      // Put back exactly as it was: the chain verifies again.
      await tamper(`UPDATE audit_events SET details = $2::jsonb WHERE id = $1`, [
        middle.id,
        original?.details,
      ]);
      expect((await t.app.get(AuditService).verify()).breaks).toEqual([]);

      // A row removed from the middle: the row after it no longer fits.
      const next = chain[chain.indexOf(middle) + 1];
      if (!next) throw new Error('no row after the middle one');
      await tamper(`DELETE FROM audit_events WHERE id = $1`, [middle.id]);
      expect((await t.app.get(AuditService).verify()).breaks).toEqual([
        {
          organizationId: owner.organizationId,
          id: next.id,
          seq: next.seq,
          reason: 'missing rows before this one',
        },
      ]);
      // The trigger is back on.
      await expect(db.query(`DELETE FROM audit_events WHERE id = $1`, [next.id])).rejects.toThrow(
        /append-only/,
      );
    });
  });

  describe('reading the trail', () => {
    it('pages newest first', async () => {
      const all = await events();
      const stored = await db.query<{ id: string }[]>(
        `SELECT id FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC`,
        [owner.organizationId],
      );
      expect(all.map((event) => event.id)).toEqual(stored.map((row) => row.id));
      const first = (
        await t.http
          .get(
            `${route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId })}?limit=2`,
          )
          .set(admin.auth)
          .expect(200)
      ).body as Page<AuditEvent>;
      expect(first.items.map((event) => event.id)).toEqual(all.slice(0, 2).map((event) => event.id));
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = (
        await t.http
          .get(
            `${route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId })}?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
          )
          .set(admin.auth)
          .expect(200)
      ).body as Page<AuditEvent>;
      expect(second.items.map((event) => event.id)).toEqual(all.slice(2, 4).map((event) => event.id));
    });

    it("is for the organization's admins: a member gets 403, another organization's owner 404", async () => {
      const path = route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId });
      expectCode(await t.http.get(path).set(member.auth), 403, 'FORBIDDEN');
      expectCode(await t.http.get(path).set(otherOwner.auth), 404, 'ORGANIZATION_NOT_FOUND');
      expectCode(await t.http.get(path), 401, 'UNAUTHENTICATED');
    });
  });
});
