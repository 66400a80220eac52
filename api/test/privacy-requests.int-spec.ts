import { randomUUID } from 'node:crypto';

import {
  type AuditEvent,
  type ErasureResult,
  type Page,
  type PrivacyRequest,
  type Site,
  type WidgetSessionResponse,
} from '@cloop/contracts';

import { createSite, findTextAnywhere, findUuidAnywhere, visitorHeaders } from './support/factories';
import { openApiValidator, type OpenApiDocument } from './support/openapi-schema';
import {
  ORIGIN,
  marker,
  oneMonthAfter,
  t,
  db,
  owner,
  admin,
  member,
  otherOwner,
  site,
  sisterSite,
  sql,
  count,
  exportBy,
  eraseBy,
  documentOf,
  expectCode,
  ledger,
  messageIdsOf,
  visitorWith,
  usePrivacyWorld,
} from './support/privacy-world';
import { route } from '@cloop/client/route';

usePrivacyWorld();

describe('privacy: self-service, the request ledger, deleting a site', () => {
  describe('visitor self-service', () => {
    it("exports the caller's own data only", async () => {
      const word = marker();
      const me = await visitorWith(site, `Mine ${word}`, { email: `${word}@example.com` });
      const neighbour = await visitorWith(site, `Theirs ${marker()}`, { email: `${word}@example.com` });
      const response = await t.http
        .get(route('/api/v1/widget/privacy/export'))
        .set(me.session.headers)
        .expect(200);
      const document = documentOf(response);

      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="cloop-data-[\d-]+\.json"$/,
      );
      expect(document.subject).toEqual({ kind: 'visitor', value: me.session.visitorId });
      expect((document.data['visitors'] ?? []).map((row) => row['visitor_uuid'])).toEqual([
        me.session.visitorId,
      ]);
      expect((document.data['conversations'] ?? []).map((row) => row['id'])).toEqual(me.conversationIds);
      expect((document.data['messages'] ?? []).map((row) => row['id'])).toEqual(
        await messageIdsOf(me.conversationIds),
      );
      expect(response.text).not.toContain(neighbour.session.visitorId);
      expect(response.text).not.toContain(neighbour.session.conversation.id);
      expect(response.text).not.toContain('Theirs');
    });

    it('erases only the caller; the same visitor id then starts empty', async () => {
      const me = await visitorWith(site, `Forget me ${marker()}`);
      const neighbour = await visitorWith(site, `Remember me ${marker()}`);
      const neighbourMessages = await messageIdsOf(neighbour.conversationIds);

      const response = await t.http
        .delete(route('/api/v1/widget/privacy'))
        .set(me.session.headers)
        .expect(200);

      expect(response.body as ErasureResult).toEqual({
        deleted: { messages: 2, conversations: 1, visitors: 1, webhook_deliveries: 0 },
      });
      expect(await messageIdsOf(me.conversationIds)).toEqual([]);
      expect(await messageIdsOf(neighbour.conversationIds)).toEqual(neighbourMessages);
      const fresh = (
        await t.http
          .post(route('/api/v1/widget/session'))
          .set(me.session.headers)
          .send({ entryUrl: `${ORIGIN}/again` })
          .expect(200)
      ).body as WidgetSessionResponse;
      expect(fresh.messages).toEqual([]);
      expect(fresh.conversation).toMatchObject({ lastSeq: 0, email: null });
      expect(fresh.conversation.id).not.toBe(me.session.conversation.id);
      const [latest] = await ledger();
      expect(latest).toMatchObject({ kind: 'erase', actor: { kind: 'visitor', userId: null } });
    });

    it.each([
      ['no visitor id', { 'X-Cloop-Visitor': undefined }, 400, 'VISITOR_ID_INVALID'],
      ['a visitor id that is not a uuid', { 'X-Cloop-Visitor': 'abc' }, 400, 'VISITOR_ID_INVALID'],
      ['no site key', { 'X-Cloop-Site-Key': undefined }, 401, 'SITE_KEY_INVALID'],
      ['an unknown site key', { 'X-Cloop-Site-Key': `pk_${'a'.repeat(24)}` }, 401, 'SITE_KEY_INVALID'],
      ['an origin the site does not allow', { Origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED'],
    ] as const)('refuses %s (%s %s) and records nothing', async (_, change, status, code) => {
      const me = await visitorWith(site, `Guarded ${marker()}`);
      const headers: Record<string, string> = {
        ...visitorHeaders(site, { visitorId: me.session.visitorId }),
      };
      for (const [name, value] of Object.entries(change)) {
        if (value === undefined) delete headers[name];
        else headers[name] = value;
      }
      const requests = await count(`SELECT count(*)::int AS count FROM privacy_requests`);
      expectCode(await t.http.get(route('/api/v1/widget/privacy/export')).set(headers), status, code);
      expectCode(await t.http.delete(route('/api/v1/widget/privacy')).set(headers), status, code);
      expect(await count(`SELECT count(*)::int AS count FROM privacy_requests`)).toBe(requests);
      expect(await messageIdsOf(me.conversationIds)).toHaveLength(2);
    });
  });

  describe('request ledger', () => {
    let shop: Site;
    beforeAll(async () => {
      shop = await createSite(t.http, owner, { name: 'Ledger shop', allowedOrigins: [ORIGIN] });
    });

    it('records every request with due date, completion, actor, counts and a hash that names nobody', async () => {
      const word = marker();
      const email = `${word}@example.com`;
      const subject = await visitorWith(shop, `Ledger ${word}`, { email });
      const other = await visitorWith(shop, `Other ${marker()}`);
      const visitorId = subject.session.visitorId;

      documentOf(await exportBy({ email }, shop.id));
      documentOf(await exportBy({ email: email.toUpperCase() }, shop.id));
      documentOf(await exportBy({ visitorId }, shop.id, owner));
      documentOf(await t.http.get(route('/api/v1/widget/privacy/export')).set(subject.session.headers));
      documentOf(await exportBy({ visitorId: other.session.visitorId }, shop.id));
      await t.http.delete(route('/api/v1/widget/privacy')).set(subject.session.headers).expect(200);
      await eraseBy({ visitorId }, shop.id).expect(200);

      const items = await ledger(shop.id);
      expect(items.map((item) => [item.kind, item.subjectKind, item.actor])).toEqual([
        ['erase', 'visitor', { kind: 'user', userId: admin.userId }],
        ['erase', 'visitor', { kind: 'visitor', userId: null }],
        ['export', 'visitor', { kind: 'user', userId: admin.userId }],
        ['export', 'visitor', { kind: 'visitor', userId: null }],
        ['export', 'visitor', { kind: 'user', userId: owner.userId }],
        ['export', 'email', { kind: 'user', userId: admin.userId }],
        ['export', 'email', { kind: 'user', userId: admin.userId }],
      ]);
      const [erasedAgain, erased, otherExport, ownExport, byId, byEmail2, byEmail1] = items as [
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
      ];
      const full = { visitors: 1, conversations: 1, messages: 2 };
      expect(byEmail1.counts).toEqual(full);
      expect(byEmail2.counts).toEqual(full);
      expect(byId.counts).toEqual(full);
      expect(ownExport.counts).toEqual(full);
      expect(otherExport.counts).toEqual(full);
      // An erasure also counts the queued webhook deliveries it dropped (none here).
      expect(erased.counts).toEqual({ ...full, webhook_deliveries: 0 });
      expect(erasedAgain.counts).toEqual({
        visitors: 0,
        conversations: 0,
        messages: 0,
        webhook_deliveries: 0,
      });

      for (const item of items) {
        expect(item.siteId).toBe(shop.id);
        expect(item.dueAt).toBe(oneMonthAfter(item.receivedAt));
        expect(item.completedAt).not.toBeNull();
        expect(Date.parse(item.completedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(item.receivedAt));
        expect(Math.abs(Date.parse(item.receivedAt) - Date.now())).toBeLessThan(60_000);
        expect(item.subjectHash).toMatch(/^[0-9a-f]{64}$/);
        for (const secret of [email, word, visitorId, visitorId.replace(/-/g, '')]) {
          for (let start = 0; start + 8 <= secret.length; start++)
            expect(item.subjectHash).not.toContain(secret.slice(start, start + 8));
        }
      }
      // The same subject, the same hash (team or visitor, any spelling); another subject, another.
      expect(byEmail2.subjectHash).toBe(byEmail1.subjectHash);
      expect(
        new Set([byId.subjectHash, ownExport.subjectHash, erased.subjectHash, erasedAgain.subjectHash]).size,
      ).toBe(1);
      expect(byId.subjectHash).not.toBe(byEmail1.subjectHash);
      expect(otherExport.subjectHash).not.toBe(byId.subjectHash);

      const listed = await t.http
        .get(route('/api/v1/sites/{siteId}/privacy/requests', { siteId: shop.id }))
        .set(admin.auth)
        .expect(200);
      const page = listed.text;
      for (const secret of [email, word, visitorId])
        expect(page.toLowerCase()).not.toContain(secret.toLowerCase());
      // The ledger and an erasure's answer are what the OpenAPI document says they are.
      const errorsOf = openApiValidator(
        (await t.http.get('/api/openapi.json').expect(200)).body as OpenApiDocument,
      );
      expect(errorsOf(listed.body, 'PrivacyRequestPageDto')).toEqual([]);
      const erasure = await eraseBy({ visitorId: randomUUID() }, shop.id).expect(200);
      expect(errorsOf(erasure.body, 'ErasureResultDto')).toEqual([]);
      // Nor anywhere else: the ledger's own columns hold no subject.
      expect(await findTextAnywhere(db, word)).toEqual({});
    });

    it('pages newest first with a cursor', async () => {
      const all = await ledger(shop.id);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: '1', ...(cursor ? { cursor } : {}) });
        const response = await t.http
          .get(`${route('/api/v1/sites/{siteId}/privacy/requests', { siteId: shop.id })}?${query.toString()}`)
          .set(admin.auth)
          .expect(200);
        const page = response.body as Page<PrivacyRequest>;
        expect(page.items).toHaveLength(1);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        if (seen.length < all.length) expect(cursor).toEqual(expect.any(String));
      } while (cursor);
      expect(seen).toEqual(all.map((item) => item.id));
      const received = all.map((item) => item.receivedAt);
      expect([...received].sort().reverse()).toEqual(received);
    });

    it("is the site's admins' only: a member gets 403, another organization 404", async () => {
      expectCode(
        await t.http
          .get(route('/api/v1/sites/{siteId}/privacy/requests', { siteId: shop.id }))
          .set(member.auth),
        403,
        'FORBIDDEN',
      );
      expectCode(
        await t.http
          .get(route('/api/v1/sites/{siteId}/privacy/requests', { siteId: shop.id }))
          .set(otherOwner.auth),
        404,
        'SITE_NOT_FOUND',
      );
      expectCode(await exportBy({ visitorId: randomUUID() }, shop.id, member), 403, 'FORBIDDEN');
      expectCode(await eraseBy({ visitorId: randomUUID() }, shop.id, otherOwner), 404, 'SITE_NOT_FOUND');
    });
  });

  describe('deleting a site', () => {
    it('removes everything that belonged to it, leaves other sites alone, and is audited', async () => {
      const doomed = await createSite(t.http, owner, { name: 'Doomed shop', allowedOrigins: [ORIGIN] });
      const word = marker();
      const visitor = await visitorWith(doomed, `Doomed ${word}`, {
        email: `${word}@example.com`,
        reply: 'Bye',
      });
      await visitorWith(doomed, `Doomed too ${word}`);
      documentOf(await exportBy({ visitorId: visitor.session.visitorId }, doomed.id));
      const survivor = await visitorWith(sisterSite, `Survivor ${marker()}`);
      const survivorMessages = await messageIdsOf(survivor.conversationIds);
      const sisterCounts = async () =>
        sql<{ visitors: number; conversations: number; messages: number }[]>(
          `SELECT (SELECT count(*)::int FROM visitors WHERE site_id = $1) AS visitors,
                  (SELECT count(*)::int FROM conversations WHERE site_id = $1) AS conversations,
                  (SELECT count(*)::int FROM messages WHERE site_id = $1) AS messages`,
          [sisterSite.id],
        );
      const before = await sisterCounts();
      expect(Object.keys(await findUuidAnywhere(db, doomed.id)).sort()).toEqual(
        [
          'conversations.site_id',
          'messages.site_id',
          'privacy_requests.site_id',
          'sites.id',
          'visitors.site_id',
        ].sort(),
      );

      await t.http
        .delete(route('/api/v1/sites/{siteId}', { siteId: doomed.id }))
        .set(admin.auth)
        .expect(204);

      expect(await findUuidAnywhere(db, doomed.id)).toEqual({});
      expect(await findTextAnywhere(db, word)).toEqual({});
      expect(await messageIdsOf(visitor.conversationIds)).toEqual([]);
      expect(await sisterCounts()).toEqual(before);
      expect(await messageIdsOf(survivor.conversationIds)).toEqual(survivorMessages);
      const events = (
        await t.http
          .get(
            `${route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId })}?limit=5`,
          )
          .set(owner.auth)
          .expect(200)
      ).body as Page<AuditEvent>;
      expect(events.items[0]).toMatchObject({
        action: 'site.deleted',
        actor: { kind: 'user', userId: admin.userId },
        target: { type: 'site', id: doomed.id },
      });
      await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: doomed.id }))
        .set(owner.auth)
        .expect(404);
    });
  });
});
