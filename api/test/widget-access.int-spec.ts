import { randomUUID } from 'node:crypto';

import type { ErrorResponse, Site, WidgetMessagesResponse, WidgetSessionRequest } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import {
  createSite,
  createVisitorSession,
  getTranscript,
  listAllConversations,
  sendAndAwaitAnswer,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
  visitorHeaders,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN_A = 'https://shop.example:8443';
const ORIGIN_B = 'https://other-shop.example';
const SESSION: WidgetSessionRequest = { entryUrl: 'https://shop.example:8443/' };

describe('widget access', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let siteA: Site;
  let siteB: Site;

  const count = async (site: Site) => (await listAllConversations(t.http, owner, site.id)).length;
  const counts = async () => [await count(siteA), await count(siteB)];
  const openSession = (headers: Record<string, string>) =>
    t.http.post(route('/api/v1/widget/session')).set(headers).send(SESSION);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http);
    siteA = await createSite(t.http, owner, { name: 'Site A', allowedOrigins: [ORIGIN_A] });
    siteB = await createSite(t.http, owner, { name: 'Site B', allowedOrigins: [ORIGIN_B] });
  });
  afterAll(() => t.close());

  describe('origins', () => {
    it('accepts the exact allowed origin and answers CORS for that origin only, varying by Origin', async () => {
      for (const response of [
        await t.http
          .get(route('/api/v1/widget/config'))
          .set({ 'X-Cloop-Site-Key': siteA.publicKey, Origin: ORIGIN_A }),
        await openSession(visitorHeaders(siteA, { origin: ORIGIN_A })),
      ]) {
        expect(response.status).toBe(200);
        expect(response.headers['access-control-allow-origin']).toBe(ORIGIN_A);
        expect(response.headers['vary']).toMatch(/\bOrigin\b/i);
      }
    });

    it.each([
      ['another scheme', 'http://shop.example:8443'],
      ['another port', 'https://shop.example'],
      ['a look-alike host', 'https://shop.example.evil.com'],
      ['the opaque origin', 'null'],
    ])('refuses %s with 403 ORIGIN_NOT_ALLOWED, no CORS answer, and creates nothing', async (_, origin) => {
      const before = await counts();
      for (const response of [
        await t.http
          .get(route('/api/v1/widget/config'))
          .set({ 'X-Cloop-Site-Key': siteA.publicKey, Origin: origin }),
        await openSession(visitorHeaders(siteA, { origin })),
        await t.http
          .post(route('/api/v1/widget/messages'))
          .set(visitorHeaders(siteA, { origin }))
          .send({ id: randomUUID(), body: 'Hello' }),
      ]) {
        expect(response.status).toBe(403);
        expect((response.body as ErrorResponse).code).toBe('ORIGIN_NOT_ALLOWED');
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
      }
      expect(await counts()).toEqual(before);
    });

    it('accepts a request without Origin as coming from a non-browser client, without CORS headers', async () => {
      const response = await openSession(visitorHeaders(siteA, { origin: null })).expect(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers a preflight from an allowed origin with 204 and the allowed methods and headers', async () => {
      const response = await t.http
        .options(route('/api/v1/widget/messages'))
        .set({
          Origin: ORIGIN_A,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, x-cloop-site-key, x-cloop-visitor',
        })
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(ORIGIN_A);
      expect(response.headers['access-control-allow-methods']).toMatch(/\bPOST\b/);
      const allowed = String(response.headers['access-control-allow-headers']).toLowerCase();
      for (const header of ['content-type', 'x-cloop-site-key', 'x-cloop-visitor']) {
        expect(allowed).toContain(header);
      }
      expect(response.headers['vary']).toMatch(/\bOrigin\b/i);
    });

    it('answers a preflight from an unknown origin with 204 and no CORS permission', async () => {
      const response = await t.http
        .options(route('/api/v1/widget/session'))
        .set({ Origin: 'https://unknown.example', 'Access-Control-Request-Method': 'POST' })
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('isolation', () => {
    let x: Awaited<ReturnType<typeof createVisitorSession>>;
    const secret = 'My order number is 4711 and my phone is 040 123 4567';

    beforeAll(async () => {
      x = await createVisitorSession(t.http, siteA);
      await sendAndAwaitAnswer(t.http, x.headers, secret);
    });

    it("makes the database refuse a message whose site is not its conversation's site", async () => {
      const onA = await createVisitorSession(t.http, siteA, { origin: ORIGIN_A });
      const insert = t.app.get(DataSource).query(
        `INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
           VALUES ($1, $2, 1, gen_random_uuid(), 'visitor', 'smuggled')`,
        [onA.conversation.id, siteB.id],
      );
      await expect(insert).rejects.toThrow(/messages_conversation_fkey/);
    });

    it("gives a visitor of site A using site B's key a fresh, empty conversation of site B", async () => {
      const aBefore = await count(siteA);
      const onB = await createVisitorSession(t.http, siteB, { visitorId: x.visitorId, origin: ORIGIN_B });
      expect(onB.conversation.id).not.toBe(x.conversation.id);
      expect(onB.conversation.lastSeq).toBe(0);
      expect(onB.messages).toEqual([]);
      const catchUp = await t.http
        .get(`${route('/api/v1/widget/messages')}?after=0`)
        .set(onB.headers)
        .expect(200);
      expect((catchUp.body as WidgetMessagesResponse).items).toEqual([]);
      expect(await count(siteA)).toBe(aBefore);
      expect((await listAllConversations(t.http, owner, siteB.id)).map((c) => c.id)).toContain(
        onB.conversation.id,
      );
    });

    it("refuses site B's key from site A's origin and creates nothing on either site", async () => {
      const before = await counts();
      const headers = visitorHeaders(siteB, { visitorId: x.visitorId, origin: ORIGIN_A });
      const response = await openSession(headers).expect(403);
      expect((response.body as ErrorResponse).code).toBe('ORIGIN_NOT_ALLOWED');
      await t.http
        .get(`${route('/api/v1/widget/messages')}?after=0`)
        .set(headers)
        .expect(403);
      expect(await counts()).toEqual(before);
    });

    it("never shows visitor X's messages to visitor Y of the same site, nor Y's to X", async () => {
      const y = await createVisitorSession(t.http, siteA);
      expect(y.conversation.id).not.toBe(x.conversation.id);
      expect(y.messages).toEqual([]);
      const catchUp = await t.http
        .get(`${route('/api/v1/widget/messages')}?after=0`)
        .set(y.headers)
        .expect(200);
      expect((catchUp.body as WidgetMessagesResponse).items).toEqual([]);

      await sendVisitorMessage(t.http, y.headers, 'Y writes here');
      const { messages } = await getTranscript(t.http, owner, siteA.id, x.conversation.id);
      expect(messages.map((m) => m.body)).not.toContain('Y writes here');
      const xView = await t.http
        .get(`${route('/api/v1/widget/messages')}?after=0`)
        .set(x.headers)
        .expect(200);
      expect((xView.body as WidgetMessagesResponse).items.map((m) => m.body)).toContain(secret);
      expect(JSON.stringify(xView.body)).not.toContain('Y writes here');
    });

    it.each([
      ['not a uuid', 'visitor-1'],
      ['too long', '0b0f5e4e-9f5d-4c3a-8d51-6a1c2b3d4e5f0'],
      ['empty', ''],
    ])(
      'refuses a visitor id that is %s with 400 VISITOR_ID_INVALID and creates nothing',
      async (_, visitorId) => {
        const before = await counts();
        const headers = visitorHeaders(siteA, { visitorId });
        for (const response of [
          await openSession(headers),
          await t.http
            .post(route('/api/v1/widget/messages'))
            .set(headers)
            .send({ id: randomUUID(), body: 'Hi' }),
          await t.http
            .put(route('/api/v1/widget/contact'))
            .set(headers)
            .send({ email: 'someone@example.test' }),
        ]) {
          expect(response.status).toBe(400);
          expect((response.body as ErrorResponse).code).toBe('VISITOR_ID_INVALID');
        }
        expect(await counts()).toEqual(before);
      },
    );

    it('refuses a missing visitor id with 400 VISITOR_ID_INVALID', async () => {
      const response = await openSession({ 'X-Cloop-Site-Key': siteA.publicKey, Origin: ORIGIN_A }).expect(
        400,
      );
      expect((response.body as ErrorResponse).code).toBe('VISITOR_ID_INVALID');
    });

    it.each([
      ['an unknown key of the right shape', `pk_${'A'.repeat(24)}`],
      ['a malformed key', 'not-a-key'],
      ['a missing key', null],
    ])('refuses %s with 401 SITE_KEY_INVALID and creates nothing', async (_, key) => {
      const before = await counts();
      const headers: Record<string, string> = {
        'X-Cloop-Visitor': randomUUID(),
        Origin: ORIGIN_A,
        ...(key === null ? {} : { 'X-Cloop-Site-Key': key }),
      };
      for (const response of [
        await t.http.get(route('/api/v1/widget/config')).set(headers),
        await openSession(headers),
        await t.http
          .post(route('/api/v1/widget/messages'))
          .set(headers)
          .send({ id: randomUUID(), body: 'Hi' }),
      ]) {
        expect(response.status).toBe(401);
        expect((response.body as ErrorResponse).code).toBe('SITE_KEY_INVALID');
        // ORIGIN_A is an origin some site allows: the widget there may read why it was refused.
        expect(response.headers['access-control-allow-origin']).toBe(ORIGIN_A);
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('client IP addresses', () => {
    const IP = '203.0.113.77';

    it('are stored in no column of any table after a widget session and messages', async () => {
      const marker = `marker-${randomUUID()}`;
      const session = await createVisitorSession(t.http, siteA, { ip: IP });
      await sendAndAwaitAnswer(t.http, session.headers, `Hello from ${marker}`);
      await sendAndAwaitAnswer(t.http, session.headers, 'Can I talk to a human?');
      await t.http
        .put(route('/api/v1/widget/contact'))
        .set(session.headers)
        .send({ email: 'ip@example.test' })
        .expect(200);

      const dataSource = t.app.get(DataSource);
      const addressColumns = await dataSource.query<{ column: string }[]>(
        `SELECT table_name || '.' || column_name AS column FROM information_schema.columns
          WHERE table_schema = 'public' AND udt_name IN ('inet', 'cidr', '_inet', '_cidr')`,
      );
      expect(addressColumns).toEqual([]);
      const columns = await dataSource.query<{ table_name: string; column_name: string }[]>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public'
            AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
      );
      expect(columns.length).toBeGreaterThan(10);

      const holding = async (needle: string) => {
        const found: string[] = [];
        for (const { table_name: table, column_name: column } of columns) {
          const rows = await dataSource.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM "${table}" WHERE strpos("${column}"::text, $1) > 0`,
            [needle],
          );
          if ((rows[0]?.n ?? 0) > 0) found.push(`${table}.${column}`);
        }
        return found;
      };
      // The scan does find what is stored: the marker sits in a message body.
      expect(await holding(marker)).toEqual(['messages.body']);
      expect(await holding(IP)).toEqual([]);
    });
  });
});
