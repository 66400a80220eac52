import { randomUUID } from 'node:crypto';

import type {
  ErrorResponse,
  Message,
  SendMessageRequest,
  Site,
  UpdateConversationRequest,
  WidgetSeenRequest,
  WidgetUnreadResponse,
} from '@cloop/contracts';
import { DataSource } from 'typeorm';

import {
  countAllRows,
  createSite,
  createVisitorSession,
  findUuidAnywhere,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
  type SqlRunner,
  visitorHeaders,
  type VisitorSession,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN_A = 'https://shop.example';
const ORIGIN_B = 'https://other-shop.example';
const NOTHING: WidgetUnreadResponse = { count: 0, latest: null };

/** `GET /widget/unread`: the closed launcher's badge for a returning visitor, read without writing. */
describe('widget unread (the closed launcher of a returning visitor)', () => {
  let t: TestApp;
  let db: SqlRunner;
  let owner: SignedUpUser;
  let siteA: Site;
  let siteB: Site;

  const unread = (headers: Record<string, string>) => t.http.get(route('/api/v1/widget/unread')).set(headers);
  const unreadOf = async (headers: Record<string, string>) =>
    (await unread(headers).expect(200)).body as WidgetUnreadResponse;
  const teamReply = async (site: Site, conversationId: string, body: string): Promise<Message> => {
    const request: SendMessageRequest = { id: randomUUID(), body };
    const response = await t.http
      .post(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
          siteId: site.id,
          conversationId,
        }),
      )
      .set(owner.auth)
      .send(request)
      .expect(201);
    return response.body as Message;
  };
  /** Every row of the visitor and their conversations, as stored (timestamps included). */
  const rowsOf = (visitorUuid: string) =>
    db.query(
      `SELECT to_jsonb(v) AS visitor, (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at)
                                          FROM conversations c WHERE c.visitor_id = v.id) AS conversations
         FROM visitors v WHERE v.visitor_uuid = $1 ORDER BY v.site_id`,
      [visitorUuid],
    );

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    owner = await signUp(t.http, { name: 'Sam Agent' });
    siteA = await createSite(t.http, owner, { name: 'Site A', allowedOrigins: [ORIGIN_A] });
    siteB = await createSite(t.http, owner, { name: 'Site B', allowedOrigins: [ORIGIN_B] });
  });
  afterAll(() => t.close());

  describe('a visitor the site does not know', () => {
    it('gets an empty answer, not an error, and no visitor, conversation or any other row is created', async () => {
      const visitorId = randomUUID();
      const before = await countAllRows(db);
      const response = await unread(visitorHeaders(siteA, { visitorId })).expect(200);
      expect(response.body).toEqual(NOTHING);
      expect(response.headers['access-control-allow-origin']).toBe(ORIGIN_A);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await countAllRows(db)).toEqual(before);
      expect(await findUuidAnywhere(db, visitorId)).toEqual({});
    });
  });

  describe('a returning visitor', () => {
    let x: VisitorSession;

    beforeAll(async () => {
      x = await createVisitorSession(t.http, siteA);
    });

    it('counts the replies after the seen mark and previews the latest, then nothing once seen', async () => {
      expect(await unreadOf(x.headers)).toEqual(NOTHING);

      const { answer } = await sendAndAwaitAnswer(t.http, x.headers, 'Do you ship to Mars?');
      expect(await unreadOf(x.headers)).toEqual({
        count: 1,
        latest: {
          conversationId: x.conversation.id,
          seq: answer.seq,
          author: 'assistant',
          authorName: null,
          body: answer.body,
        },
      });

      const reply = await teamReply(siteA, x.conversation.id, 'Hi, this is Sam. Not yet, sorry!');
      expect(await unreadOf(x.headers)).toEqual({
        count: 2,
        latest: {
          conversationId: x.conversation.id,
          seq: reply.seq,
          author: 'agent',
          authorName: 'Sam Agent',
          body: 'Hi, this is Sam. Not yet, sorry!',
        },
      });

      // Seen up to the assistant's answer: only the team's reply is left.
      const seen: WidgetSeenRequest = { conversationId: x.conversation.id, seq: answer.seq };
      await t.http.put(route('/api/v1/widget/seen')).set(x.headers).send(seen).expect(204);
      expect((await unreadOf(x.headers)).count).toBe(1);

      await t.http
        .put(route('/api/v1/widget/seen'))
        .set(x.headers)
        .send({ ...seen, seq: reply.seq })
        .expect(204);
      expect(await unreadOf(x.headers)).toEqual(NOTHING);
    });

    it("never counts the visitor's own messages", async () => {
      const y = await createVisitorSession(t.http, siteA);
      const first = await sendAndAwaitAnswer(t.http, y.headers, 'Is it waterproof?');
      const seen: WidgetSeenRequest = { conversationId: y.conversation.id, seq: first.answer.seq };
      await t.http.put(route('/api/v1/widget/seen')).set(y.headers).send(seen).expect(204);
      const { answer } = await sendAndAwaitAnswer(t.http, y.headers, 'And in salt water?');
      expect(await unreadOf(y.headers)).toEqual({
        count: 1,
        latest: expect.objectContaining({ seq: answer.seq, author: 'assistant' }) as unknown,
      });
    });

    it('changes nothing it reads: the visitor, their conversation and every table stay as they were', async () => {
      await teamReply(siteA, x.conversation.id, 'Still there?');
      const rows = await rowsOf(x.visitorId);
      const counts = await countAllRows(db);
      expect((await unreadOf(x.headers)).count).toBe(1);
      expect((await unreadOf(x.headers)).count).toBe(1);
      expect(await rowsOf(x.visitorId)).toEqual(rows);
      expect(await countAllRows(db)).toEqual(counts);
    });

    it('previews only the start of a long reply', async () => {
      const z = await createVisitorSession(t.http, siteA);
      await teamReply(siteA, z.conversation.id, `${'é'.repeat(150)}${'x'.repeat(3000)}`);
      const { latest } = await unreadOf(z.headers);
      expect(latest?.body).toBe(`${'é'.repeat(150)}${'x'.repeat(50)}`);
    });

    it('reports nothing for a closed conversation and opens no new one', async () => {
      const z = await createVisitorSession(t.http, siteA);
      await teamReply(siteA, z.conversation.id, 'Closing this, bye!');
      expect((await unreadOf(z.headers)).count).toBe(1);
      const close: UpdateConversationRequest = { status: 'closed' };
      await t.http
        .patch(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: siteA.id,
            conversationId: z.conversation.id,
          }),
        )
        .set(owner.auth)
        .send(close)
        .expect(200);
      const counts = await countAllRows(db);
      expect(await unreadOf(z.headers)).toEqual(NOTHING);
      expect(await countAllRows(db)).toEqual(counts);
    });
  });

  describe('another site', () => {
    let x: VisitorSession;

    beforeAll(async () => {
      x = await createVisitorSession(t.http, siteA);
      await teamReply(siteA, x.conversation.id, 'A reply only site A may show');
    });

    it("shows a visitor of site A nothing of it under site B's key, and creates nothing on site B", async () => {
      expect((await unreadOf(x.headers)).count).toBe(1);
      const counts = await countAllRows(db);
      const onB = await unread(visitorHeaders(siteB, { visitorId: x.visitorId })).expect(200);
      expect(onB.body).toEqual(NOTHING);
      expect(onB.text).not.toContain(x.conversation.id);
      expect(await countAllRows(db)).toEqual(counts);
    });

    it("refuses site B's key from site A's page with 403 ORIGIN_NOT_ALLOWED", async () => {
      const response = await unread(visitorHeaders(siteB, { visitorId: x.visitorId, origin: ORIGIN_A }));
      expect(response.status).toBe(403);
      expect((response.body as ErrorResponse).code).toBe('ORIGIN_NOT_ALLOWED');
      expect(response.text).not.toContain('A reply only');
    });

    it("shows another visitor of the same site nothing of this visitor's conversation", async () => {
      const y = await createVisitorSession(t.http, siteA);
      const response = await unread(y.headers).expect(200);
      expect(response.body).toEqual(NOTHING);
    });
  });

  describe('bad input', () => {
    const cases: [string, number, string, (site: Site) => Record<string, string>][] = [
      [
        'a visitor id that is not a uuid',
        400,
        'VISITOR_ID_INVALID',
        (s) => visitorHeaders(s, { visitorId: 'v-1' }),
      ],
      [
        'no visitor id',
        400,
        'VISITOR_ID_INVALID',
        (s) => ({ 'X-Cloop-Site-Key': s.publicKey, Origin: ORIGIN_A }),
      ],
      [
        'an unknown site key',
        401,
        'SITE_KEY_INVALID',
        (s) => ({ ...visitorHeaders(s), 'X-Cloop-Site-Key': `pk_${'A'.repeat(24)}` }),
      ],
      ['no site key', 401, 'SITE_KEY_INVALID', () => ({ 'X-Cloop-Visitor': randomUUID(), Origin: ORIGIN_A })],
      [
        'an origin the site does not allow',
        403,
        'ORIGIN_NOT_ALLOWED',
        (s) => visitorHeaders(s, { origin: 'https://evil.example' }),
      ],
    ];
    it.each(cases)('refuses %s with %i %s and creates nothing', async (_, status, code, headers) => {
      const counts = await countAllRows(db);
      const response = await unread(headers(siteA));
      expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
        status,
        code,
      });
      expect(await countAllRows(db)).toEqual(counts);
    });

    it('answers the preflight of an allowed origin for GET with the visitor header', async () => {
      const response = await t.http
        .options(route('/api/v1/widget/unread'))
        .set({
          Origin: ORIGIN_A,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'x-cloop-site-key, x-cloop-visitor',
        })
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(ORIGIN_A);
      expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain(
        'x-cloop-visitor',
      );
    });
  });
});

describe('widget unread under the per-IP chat limit', () => {
  let t: TestApp;
  let site: Site;

  beforeAll(async () => {
    t = await startTestApp({ rateLimits: { chat: { limit: 2, windowMs: 60_000 } } });
    site = await createSite(t.http, await signUp(t.http), { allowedOrigins: [ORIGIN_A] });
  });
  afterAll(() => t.close());

  it('is limited like the other visitor routes: 429 with Retry-After the widget can read', async () => {
    const headers = { ...visitorHeaders(site), 'X-Forwarded-For': '198.51.100.210' };
    await t.http.get(route('/api/v1/widget/unread')).set(headers).expect(200);
    await t.http.get(route('/api/v1/widget/unread')).set(headers).expect(200);
    const refused = await t.http.get(route('/api/v1/widget/unread')).set(headers).expect(429);
    expect((refused.body as ErrorResponse).code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN_A);
  });
});
