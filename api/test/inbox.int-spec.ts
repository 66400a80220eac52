import { randomUUID } from 'node:crypto';

import type {
  Conversation,
  ErrorResponse,
  Message,
  Page,
  SendMessageRequest,
  Site,
  UpdateConversationRequest,
  WidgetContactRequest,
  WidgetMessagesResponse,
} from '@cloop/contracts';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import {
  addMember,
  createSite,
  createVisitorSession,
  getTranscript,
  listAllConversations,
  sendAndAwaitAnswer,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
  type VisitorSession,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

describe('inbox', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let outsider: SignedUpUser;
  let site: Site;
  let otherSite: Site;

  const base = (siteId = site.id) => route('/api/v1/sites/{siteId}/conversations', { siteId });
  const list = async (query: Record<string, string>) => {
    const response = await t.http.get(`${base()}?${new URLSearchParams(query).toString()}`).set(member.auth);
    expect(response.status).toBe(200);
    return response.body as Page<Conversation>;
  };
  const idsOf = (page: Page<Conversation>) => page.items.map((c) => c.id);
  const reply = (id: string, body: SendMessageRequest, user = member) =>
    t.http
      .post(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
          siteId: site.id,
          conversationId: id,
        }),
      )
      .set(user.auth)
      .send(body);
  const patch = (id: string, body: object, user = member) =>
    t.http
      .patch(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
          siteId: site.id,
          conversationId: id,
        }),
      )
      .set(user.auth)
      .send(body);
  const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
    expect(response.status).toBe(status);
    expect((response.body as ErrorResponse).code).toBe(code);
  };
  /** A visitor conversation on a site with one exchange, settled (the assistant has answered). */
  const conversationWith = async (text: string, on: Site = site): Promise<VisitorSession> => {
    const session = await createVisitorSession(t.http, on);
    await sendAndAwaitAnswer(t.http, session.headers, text);
    return session;
  };

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http, { name: 'Olivia Owner' });
    [admin, member, outsider] = [
      await signUp(t.http, { name: 'Aino Admin' }),
      await signUp(t.http, { name: 'Maija Member' }),
      await signUp(t.http, { name: 'Otto Outsider' }),
    ];
    await addMember(t.http, owner, admin, 'admin');
    await addMember(t.http, owner, member, 'member');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    otherSite = await createSite(t.http, owner, { name: 'Other shop', allowedOrigins: [ORIGIN] });
  });
  afterAll(() => t.close());

  describe('list', () => {
    const WORD = `quokkaberry${randomUUID().slice(0, 8)}`;
    let plain: Conversation;
    let searchable: Conversation;
    let human: Conversation;
    let lead: Conversation;

    beforeAll(async () => {
      // One after another, each settled, so their last activity is in this order.
      const sessions = [
        await conversationWith('Do you ship to Finland?'),
        await conversationWith(`Tell me about the ${WORD.toUpperCase()} collection`),
        await conversationWith('Can I talk to a human?'),
        await conversationWith('Do you sell gift cards?'),
      ];
      const contact: WidgetContactRequest = { email: 'lead@example.test' };
      await t.http
        .put(route('/api/v1/widget/contact'))
        .set(sessions[3]?.headers ?? {})
        .send(contact)
        .expect(200);
      const all = await listAllConversations(t.http, member, site.id);
      [plain, searchable, human, lead] = sessions.map((s) => {
        const found = all.find((c) => c.id === s.conversation.id);
        if (!found) throw new Error('a conversation is missing from the inbox');
        return found;
      });
    });

    it('lists the conversations newest activity first', async () => {
      expect(idsOf(await list({}))).toEqual([lead.id, human.id, searchable.id, plain.id]);
    });

    it('filters by phase', async () => {
      expect(idsOf(await list({ phase: 'requesting_contact' }))).toEqual([lead.id, human.id]);
      expect(idsOf(await list({ phase: 'exploring' }))).toEqual([searchable.id, plain.id]);
      expect(idsOf(await list({ phase: 'learning' }))).toEqual([]);
    });

    it('filters leads and non-leads', async () => {
      const leads = await list({ lead: 'true' });
      expect(leads.items).toEqual([expect.objectContaining({ id: lead.id, leadStatus: 'new' })]);
      expect(idsOf(await list({ lead: 'false' }))).toEqual([human.id, searchable.id, plain.id]);
    });

    it('searches the words of the messages, whatever their case', async () => {
      expect(idsOf(await list({ q: WORD }))).toEqual([searchable.id]);
      expect(idsOf(await list({ q: `${WORD}zz` }))).toEqual([]);
      expect(idsOf(await list({ q: '?!' }))).toEqual([]);
      expect(idsOf(await list({ q: 'Finland', phase: 'exploring' }))).toEqual([plain.id]);
    });

    it('filters by a date range of the last activity, both ends included', async () => {
      const at = (c: Conversation) => c.lastMessageAt;
      expect(idsOf(await list({ from: at(human), to: at(human) }))).toEqual([human.id]);
      expect(idsOf(await list({ from: at(human) }))).toEqual([lead.id, human.id]);
      expect(idsOf(await list({ to: at(searchable) }))).toEqual([searchable.id, plain.id]);
      expect(idsOf(await list({ from: at(lead), to: at(plain) }))).toEqual([]);
    });

    it.each([
      ['an unknown phase', { phase: 'closing' }],
      ['a lead flag that is not a boolean', { lead: 'yes' }],
      ['a date that is not ISO 8601', { from: 'yesterday' }],
      ['a limit above the maximum', { limit: '101' }],
      ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }],
    ])('refuses %s with a 400', async (_, query) => {
      const response = await t.http
        .get(`${base()}?${new URLSearchParams(query).toString()}`)
        .set(member.auth);
      expectCode(response, 400, 'VALIDATION_FAILED');
    });

    it('walks every conversation exactly once with limit=1, newest activity first', async () => {
      const tied = await t.concurrently(() =>
        Promise.all(Array.from({ length: 8 }, () => createVisitorSession(t.http, site))),
      );
      // Activity in the same millisecond happens; force it, so that the id must break the ties.
      await t.app
        .get(DataSource)
        .query(`UPDATE conversations SET last_message_at = $1 WHERE id = ANY($2::uuid[])`, [
          human.lastMessageAt,
          tied.map((session) => session.conversation.id),
        ]);
      const all = await listAllConversations(t.http, member, site.id);
      const walked: Conversation[] = [];
      let cursor: string | null = null;
      do {
        const page = await list({ limit: '1', ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(1);
        walked.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && walked.length <= all.length);
      expect(walked.map((c) => c.id)).toEqual(all.map((c) => c.id));
      expect(new Set(walked.map((c) => c.id)).size).toBe(walked.length);
      for (const [previous, next] of walked.slice(0, -1).map((c, i) => [c, walked[i + 1]] as const)) {
        if (!next) continue;
        const order =
          previous.lastMessageAt.localeCompare(next.lastMessageAt) || previous.id.localeCompare(next.id);
        expect(order).toBeGreaterThan(0);
      }
    });

    it('searches a common word (past the hits the full-text index is used for) with the same result', async () => {
      // 24 conversations, every second one with the word in 100 messages (1,200 hits), the others
      // without; and a rare word in two of them. Then 1,000 more hits on another site, which the
      // site's count leaves out, and 1,000 more here: the common word passes the 2,000 hits up to
      // which the search starts from the full-text index, the rare one does not.
      const { siteId } = await createSite(t.http, owner, { name: 'Busy shop' }).then((s) => ({
        siteId: s.id,
      }));
      const db = t.app.get(DataSource);
      const seed = (onSite: string, conversations: number, messages: number, body: string) =>
        db.query(
          `WITH v AS (INSERT INTO visitors (site_id, visitor_uuid)
                      SELECT $1, gen_random_uuid() FROM generate_series(1, $2::int) RETURNING id),
                c AS (INSERT INTO conversations (site_id, visitor_id, status, message_count, last_seq, last_message_at)
                      SELECT $1, v.id, 'closed', $3, $3,
                             now() - (hashtext(v.id::text) % 100000) * interval '1 second' FROM v
                      RETURNING id)
           INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
           SELECT c.id, $1, s, gen_random_uuid(), 'visitor', $4 || ' ' || s FROM c, generate_series(1, $3::int) s`,
          [onSite, conversations, messages, body],
        );
      await seed(siteId, 12, 100, 'Is the teapot in stock');
      await seed(siteId, 10, 100, 'Plain question');
      await seed(siteId, 2, 1, 'The teapot from wombatville');
      await seed(otherSite.id, 10, 100, 'Is the teapot in stock');
      const expected = async (word: string) =>
        (
          await db.query<{ id: string }[]>(
            `SELECT c.id FROM conversations c WHERE c.site_id = $1 AND EXISTS (
               SELECT 1 FROM messages m WHERE m.conversation_id = c.id
                  AND to_tsvector('simple', m.body) @@ plainto_tsquery('simple', $2))
             ORDER BY c.last_message_at DESC, c.id DESC`,
            [siteId, word],
          )
        ).map((row) => row.id);
      const walk = async (q: string) => {
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const response = await t.http
            .get(
              `${base(siteId)}?${new URLSearchParams({ q, limit: '5', ...(cursor ? { cursor } : {}) }).toString()}`,
            )
            .set(member.auth);
          expect(response.status).toBe(200);
          const page = response.body as Page<Conversation>;
          ids.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor;
        } while (cursor && ids.length <= 100);
        return ids;
      };
      for (const [word, count] of [
        ['teapot', 14],
        ['wombatville', 2],
      ] as const) {
        expect(await expected(word)).toHaveLength(count);
        expect(await walk(word)).toEqual(await expected(word));
      }
      await seed(siteId, 10, 100, 'A teapot again');
      expect(await expected('teapot')).toHaveLength(24);
      expect(await walk('TEAPOT')).toEqual(await expected('teapot'));
      // With PostgreSQL's statistics of the words, the common word is searched in activity order.
      await db.query('ANALYZE messages');
      expect(await walk('teapot')).toEqual(await expected('teapot'));
      expect(await walk('wombatville')).toEqual(await expected('wombatville'));
    });
  });

  describe('transcript and replies', () => {
    it("returns the messages in seq order with the agent's name on agent replies", async () => {
      const session = await conversationWith('Is this available in red?');
      await reply(session.conversation.id, { id: randomUUID(), body: 'Yes, from next week.' }).expect(201);
      const { conversation, messages } = await getTranscript(t.http, owner, site.id, session.conversation.id);
      expect(conversation).toMatchObject({ id: session.conversation.id, lastSeq: 3, messageCount: 3 });
      expect(messages.map((m) => [m.seq, m.author, m.authorName])).toEqual([
        [1, 'visitor', null],
        [2, 'assistant', null],
        [3, 'agent', 'Maija Member'],
      ]);
    });

    it("still delivers an agent's last reply to the widget after the agent closes the conversation", async () => {
      const session = await conversationWith('Thanks for the help!');
      const last = (await reply(session.conversation.id, { id: randomUUID(), body: 'Goodbye!' }).expect(201))
        .body as Message;
      await t.http
        .patch(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: session.conversation.id,
          }),
        )
        .set(owner.auth)
        .send({ status: 'closed' })
        .expect(200);
      const seen = await t.http
        .get(`${route('/api/v1/widget/messages')}?after=${last.seq - 1}`)
        .set(session.headers)
        .expect(200);
      expect((seen.body as WidgetMessagesResponse).items).toEqual([last]);
    });

    it('hands the conversation over: once an agent has replied, the assistant stops answering', async () => {
      const session = await conversationWith('Can you check my order?');
      await reply(session.conversation.id, { id: randomUUID(), body: 'Looking into it now.' }).expect(201);
      const followUp = await sendVisitorMessage(t.http, session.headers, 'Thanks, the number is 1234');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { messages } = await getTranscript(t.http, owner, site.id, session.conversation.id);
      expect(messages.at(-1)).toMatchObject({ seq: followUp.seq, author: 'visitor' });
    });

    it('stores an agent reply once: 201, then 200 with the same message, 409 for another body', async () => {
      const session = await conversationWith('When do you open?');
      const request: SendMessageRequest = { id: randomUUID(), body: 'At nine, every weekday.' };
      const created = (await reply(session.conversation.id, request).expect(201)).body as Message;
      expect(created).toMatchObject({
        seq: 3,
        author: 'agent',
        authorName: 'Maija Member',
        body: request.body,
      });
      expect((await reply(session.conversation.id, request).expect(200)).body).toEqual(created);
      const conflict = await reply(session.conversation.id, { id: request.id, body: 'At ten.' });
      expectCode(conflict, 409, 'MESSAGE_ID_CONFLICT');

      const seen = await t.http
        .get(`${route('/api/v1/widget/messages')}?after=2`)
        .set(session.headers)
        .expect(200);
      expect((seen.body as WidgetMessagesResponse).items).toEqual([created]);
    });

    it.each([
      ['a blank body', { id: randomUUID(), body: '   ' }],
      ['a missing id', { body: 'Hello' }],
      ['an unknown field', { id: randomUUID(), body: 'Hello', author: 'assistant' }],
    ])('refuses an agent reply with %s with a 400', async (_, body) => {
      const session = await createVisitorSession(t.http, site);
      expectCode(await reply(session.conversation.id, body as SendMessageRequest), 400, 'VALIDATION_FAILED');
      expect((await getTranscript(t.http, member, site.id, session.conversation.id)).messages).toEqual([]);
    });
  });

  describe('changes', () => {
    it('changes the phase, status and lead status', async () => {
      const session = await conversationWith('Just browsing');
      const changes: UpdateConversationRequest = {
        phase: 'learning',
        status: 'closed',
        leadStatus: 'contacted',
      };
      const response = await patch(session.conversation.id, changes).expect(200);
      expect(response.body).toMatchObject({ id: session.conversation.id, ...changes });
      const { conversation } = await getTranscript(t.http, member, site.id, session.conversation.id);
      expect(conversation).toMatchObject(changes);
    });

    it('refuses to reopen a conversation while its visitor has another open one, changing neither', async () => {
      const first = await conversationWith('A first visit');
      await patch(first.conversation.id, { status: 'closed' }).expect(200);
      const second = await createVisitorSession(t.http, site, { visitorId: first.visitorId });
      expect(second.conversation.id).not.toBe(first.conversation.id);

      const response = await patch(first.conversation.id, { status: 'open' });
      expect(response.status).toBe(409);
      expect((response.body as ErrorResponse).code).toBe('CONVERSATION_ALREADY_OPEN');
      const statusOf = async (id: string) =>
        (await getTranscript(t.http, member, site.id, id)).conversation.status;
      expect([await statusOf(first.conversation.id), await statusOf(second.conversation.id)]).toEqual([
        'closed',
        'open',
      ]);
    });

    it.each([
      ['an unknown phase', { phase: 'done' }],
      ['an unknown status', { status: 'archived' }],
      ['an unknown lead status', { leadStatus: 'hot' }],
      ['a null phase', { phase: null }],
      ['a field that cannot be changed', { email: 'someone@example.test' }],
    ])('refuses %s with a 400 and changes nothing', async (_, body) => {
      const session = await createVisitorSession(t.http, site);
      expectCode(await patch(session.conversation.id, body), 400, 'VALIDATION_FAILED');
      const { conversation } = await getTranscript(t.http, member, site.id, session.conversation.id);
      expect(conversation).toMatchObject({
        phase: 'exploring',
        status: 'open',
        leadStatus: 'none',
        email: null,
      });
    });

    it('answers 404 CONVERSATION_NOT_FOUND for an unknown conversation on every route', async () => {
      const id = randomUUID();
      for (const response of [
        await t.http
          .get(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId: id,
            }),
          )
          .set(member.auth),
        await patch(id, { phase: 'learning' }),
        await reply(id, { id: randomUUID(), body: 'Hello?' }),
        await t.http
          .delete(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId: id,
            }),
          )
          .set(admin.auth),
      ]) {
        expectCode(response, 404, 'CONVERSATION_NOT_FOUND');
      }
    });

    it("answers 404 for another site's conversation under this site and leaves it untouched", async () => {
      const elsewhere = await conversationWith('A question on the other shop', otherSite);
      const id = elsewhere.conversation.id;
      for (const response of [
        await t.http
          .get(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId: id,
            }),
          )
          .set(owner.auth),
        await patch(id, { phase: 'learning', status: 'closed' }, owner),
        await reply(id, { id: randomUUID(), body: 'Wrong site' }, owner),
        await t.http
          .delete(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId: id,
            }),
          )
          .set(owner.auth),
      ]) {
        expectCode(response, 404, 'CONVERSATION_NOT_FOUND');
      }
      const { conversation, messages } = await getTranscript(t.http, owner, otherSite.id, id);
      expect(conversation).toMatchObject({ phase: 'exploring', status: 'open', lastSeq: 2 });
      expect(messages).toHaveLength(2);
    });
  });

  describe('delete', () => {
    it('lets an admin delete a conversation (204), after which it is gone (404)', async () => {
      const session = await conversationWith('Please forget this');
      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: session.conversation.id,
          }),
        )
        .set(admin.auth)
        .expect(204);
      expectCode(
        await t.http
          .get(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId: session.conversation.id,
            }),
          )
          .set(admin.auth),
        404,
        'CONVERSATION_NOT_FOUND',
      );
      expectCode(
        await t.http
          .delete(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId: session.conversation.id,
            }),
          )
          .set(admin.auth),
        404,
        'CONVERSATION_NOT_FOUND',
      );
      expect((await listAllConversations(t.http, admin, site.id)).map((c) => c.id)).not.toContain(
        session.conversation.id,
      );
      const resumed = await createVisitorSession(t.http, site, { visitorId: session.visitorId });
      expect(resumed.conversation.id).not.toBe(session.conversation.id);
      expect(resumed.messages).toEqual([]);
    });

    it('refuses a member with 403 and keeps the conversation', async () => {
      const session = await conversationWith('Keep this');
      expectCode(
        await t.http
          .delete(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId: session.conversation.id,
            }),
          )
          .set(member.auth),
        403,
        'FORBIDDEN',
      );
      expect((await getTranscript(t.http, member, site.id, session.conversation.id)).messages).toHaveLength(
        2,
      );
    });
  });

  it('answers a console user of another organization 404 on every inbox route and changes nothing', async () => {
    const session = await conversationWith('Private to this shop');
    const id = session.conversation.id;
    const before = await getTranscript(t.http, owner, site.id, id);
    for (const response of [
      await t.http.get(base()).set(outsider.auth),
      await t.http
        .get(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: id,
          }),
        )
        .set(outsider.auth),
      await patch(id, { phase: 'learning' }, outsider),
      await reply(id, { id: randomUUID(), body: 'Hi from outside' }, outsider),
      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: id,
          }),
        )
        .set(outsider.auth),
    ]) {
      expectCode(response, 404, 'SITE_NOT_FOUND');
    }
    expect(await getTranscript(t.http, owner, site.id, id)).toEqual(before);
  });
});
