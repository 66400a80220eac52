import { randomUUID } from 'node:crypto';

import type {
  ErrorResponse,
  Message,
  SendMessageRequest,
  Site,
  WidgetConfig,
  WidgetContactRequest,
  WidgetConversation,
  WidgetSeenRequest,
  WidgetSessionRequest,
} from '@cloop/contracts';
import fc from 'fast-check';

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
  waitForVisitorMessage,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

describe('widget API', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;

  const countConversations = async () => (await listAllConversations(t.http, owner, site.id)).length;
  const transcriptOf = (conversationId: string) => getTranscript(t.http, owner, site.id, conversationId);
  const post = (headers: Record<string, string>, body: object) =>
    t.http.post(route('/api/v1/widget/messages')).set(headers).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, {
      allowedOrigins: [ORIGIN],
      leadCapture: true,
      widget: { greeting: 'Hello! Ask me anything.', locale: 'auto' },
    });
  });
  afterAll(() => t.close());

  describe('config', () => {
    it('returns the public widget settings to a site key alone, without identifying anyone', async () => {
      const before = await countConversations();
      const response = await t.http
        .get(route('/api/v1/widget/config'))
        .set({ 'X-Cloop-Site-Key': site.publicKey, Origin: ORIGIN })
        .expect(200);
      const expected: WidgetConfig = { widget: site.widget, leadCapture: true };
      expect(response.body).toEqual(expected);
      for (const secret of [site.id, site.organizationId, owner.email, owner.userId]) {
        expect(response.text).not.toContain(secret);
      }
      expect(await countConversations()).toBe(before);
    });
  });

  describe('session', () => {
    it('creates the visitor and an open conversation, recording the entry page (without query or fragment) and locale', async () => {
      const entryUrl = 'https://shop.example/pricing?email=ada%40example.com&token=secret#access_token=x';
      const session = await createVisitorSession(t.http, site, { entryUrl, locale: 'fi-FI' });
      const expected: WidgetConversation = {
        id: expect.any(String) as string,
        phase: 'exploring',
        status: 'open',
        email: null,
        lastSeq: 0,
      };
      expect(session.conversation).toEqual(expected);
      expect(session.messages).toEqual([]);
      expect(session.config).toEqual({ widget: site.widget, leadCapture: true });
      const { conversation } = await transcriptOf(session.conversation.id);
      expect(conversation).toMatchObject({
        entryUrl: 'https://shop.example/pricing',
        locale: 'fi-FI',
        siteId: site.id,
        messageCount: 0,
      });
    });

    it('resumes the same conversation with its history, keeping the first entry page', async () => {
      const first = await createVisitorSession(t.http, site, { entryUrl: 'https://shop.example/a' });
      const { question, answer } = await sendAndAwaitAnswer(t.http, first.headers, 'Do you ship to Finland?');
      const again = await createVisitorSession(t.http, site, {
        visitorId: first.visitorId,
        entryUrl: 'https://shop.example/b',
      });
      expect(again.conversation.id).toBe(first.conversation.id);
      expect(again.conversation.lastSeq).toBe(2);
      expect(again.messages).toEqual([question, answer]);
      const { conversation } = await transcriptOf(first.conversation.id);
      expect(conversation.entryUrl).toBe('https://shop.example/a');
    });

    it('accepts an entry page URL of exactly 2048 characters', async () => {
      const base = 'https://shop.example/';
      const entryUrl = base + 'a'.repeat(2048 - base.length);
      const session = await createVisitorSession(t.http, site, { entryUrl });
      expect((await transcriptOf(session.conversation.id)).conversation.entryUrl).toBe(entryUrl);
    });

    it.each([
      ['a javascript: URL', 'javascript:alert(1)'],
      ['an ftp: URL', 'ftp://shop.example/catalog.pdf'],
      ['a URL of 2049 characters', 'https://shop.example/' + 'a'.repeat(2049 - 21)],
      ['a relative URL', '/pricing'],
    ])('refuses %s as the entry page with a 400 and creates nothing', async (_, entryUrl) => {
      const before = await countConversations();
      const headers = visitorHeaders(site);
      const body: WidgetSessionRequest = { entryUrl };
      const response = await t.http.post(route('/api/v1/widget/session')).set(headers).send(body).expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      expect(await countConversations()).toBe(before);
    });
  });

  describe('messages', () => {
    it('stores a message with 201 and returns the same message with 200 when the id comes again', async () => {
      const { headers } = await createVisitorSession(t.http, site);
      const request: SendMessageRequest = { id: randomUUID(), body: 'Is the blue one in stock?' };
      const created = (await post(headers, request).expect(201)).body as Message;
      expect(created).toMatchObject({
        seq: 1,
        clientMessageId: request.id,
        author: 'visitor',
        body: request.body,
      });
      const repeated = await post(headers, request).expect(200);
      expect(repeated.body).toEqual(created);
    });

    it('refuses the same id with a different body with 409 MESSAGE_ID_CONFLICT and keeps the first', async () => {
      const session = await createVisitorSession(t.http, site);
      const first = await sendVisitorMessage(t.http, session.headers, 'First words');
      const response = await post(session.headers, { id: first.clientMessageId, body: 'Other words' }).expect(
        409,
      );
      expect((response.body as ErrorResponse).code).toBe('MESSAGE_ID_CONFLICT');
      const { messages } = await transcriptOf(session.conversation.id);
      expect(messages.filter((m) => m.author === 'visitor').map((m) => m.body)).toEqual(['First words']);
    });

    it.each([
      ['an empty body', { body: '' }],
      ['a blank body', { body: ' \n\t ' }],
      ['a body of 4001 characters', { body: 'x'.repeat(4001) }],
      ['a missing body', {}],
      ['an id that is not a uuid', { id: 'message-1', body: 'Hello' }],
      ['an unknown field', { body: 'Hello', author: 'agent' }],
    ])('refuses %s with a 400 and stores nothing', async (_, fields) => {
      const session = await createVisitorSession(t.http, site);
      const response = await post(session.headers, { id: randomUUID(), ...fields }).expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      expect((await transcriptOf(session.conversation.id)).conversation.lastSeq).toBe(0);
    });

    it('accepts a body of exactly 4000 characters', async () => {
      const { headers } = await createVisitorSession(t.http, site);
      const message = await sendVisitorMessage(t.http, headers, 'y'.repeat(4000));
      expect(message.body).toHaveLength(4000);
    });

    it('answers each new visitor message with an assistant message at the next seq', async () => {
      const { headers } = await createVisitorSession(t.http, site, { locale: 'en-GB' });
      const { question, answer } = await sendAndAwaitAnswer(t.http, headers, 'What are your opening hours?');
      expect(answer).toMatchObject({ seq: question.seq + 1, author: 'assistant', authorName: null });
      expect(answer.body).toContain("I couldn't find an answer to that in this site's content");
      expect(answer.body).toContain('Leave your email address'); // the site has lead capture on
    });

    it('answers in Finnish to a visitor whose browser speaks Finnish', async () => {
      const { headers } = await createVisitorSession(t.http, site, { locale: 'fi-FI' });
      const { answer } = await sendAndAwaitAnswer(t.http, headers, 'Mitkä ovat aukioloajat?');
      expect(answer.body).toContain('Valitettavasti en löytänyt tähän vastausta');
    });

    it('moves the conversation to requesting_contact when the visitor asks for a human', async () => {
      const session = await createVisitorSession(t.http, site);
      const { answer } = await sendAndAwaitAnswer(t.http, session.headers, 'Can I talk to a human?');
      expect(answer.body).toContain('Leave your email address in the form below');
      const resumed = await createVisitorSession(t.http, site, { visitorId: session.visitorId });
      expect(resumed.conversation.phase).toBe('requesting_contact');
      expect((await transcriptOf(session.conversation.id)).conversation.phase).toBe('requesting_contact');
    });

    it('makes the conversation a new lead when the visitor leaves an email', async () => {
      const session = await createVisitorSession(t.http, site);
      await sendVisitorMessage(t.http, session.headers, 'Do you do wholesale?');
      const contact: WidgetContactRequest = { email: 'Buyer@Example.TEST' };
      const response = await t.http
        .put(route('/api/v1/widget/contact'))
        .set(session.headers)
        .send(contact)
        .expect(200);
      expect(response.body).toMatchObject({
        id: session.conversation.id,
        email: 'buyer@example.test',
        phase: 'requesting_contact',
      });
      const leads = await listAllConversations(t.http, owner, site.id, { lead: 'true' });
      expect(leads.find((c) => c.id === session.conversation.id)).toMatchObject({
        email: 'buyer@example.test',
        leadStatus: 'new',
        phase: 'requesting_contact',
      });
      const others = await listAllConversations(t.http, owner, site.id, { lead: 'false' });
      expect(others.map((c) => c.id)).not.toContain(session.conversation.id);
    });

    it('refuses an invalid email and leaves the conversation as it was', async () => {
      const session = await createVisitorSession(t.http, site);
      const response = await t.http
        .put(route('/api/v1/widget/contact'))
        .set(session.headers)
        .send({ email: 'not an email' })
        .expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      const { conversation } = await transcriptOf(session.conversation.id);
      expect(conversation).toMatchObject({ email: null, leadStatus: 'none', phase: 'exploring' });
    });
  });

  describe('seen', () => {
    const markSeen = (headers: Record<string, string>, body: object) =>
      t.http.put(route('/api/v1/widget/seen')).set(headers).send(body);

    it('starts with nothing seen and keeps what the visitor saw for the next session (page load)', async () => {
      const first = await createVisitorSession(t.http, site);
      expect(first.seenSeq).toBe(0);
      await sendAndAwaitAnswer(t.http, first.headers, 'Do you ship to Finland?');
      expect((await createVisitorSession(t.http, site, { visitorId: first.visitorId })).seenSeq).toBe(0);

      const seen: WidgetSeenRequest = { conversationId: first.conversation.id, seq: 2 };
      await markSeen(first.headers, seen).expect(204);

      const again = await createVisitorSession(t.http, site, { visitorId: first.visitorId });
      expect(again.seenSeq).toBe(2);
    });

    it('never moves the mark back, nor past the last message', async () => {
      const session = await createVisitorSession(t.http, site);
      await sendAndAwaitAnswer(t.http, session.headers, 'Do you ship to Sweden?');
      const id = session.conversation.id;
      await markSeen(session.headers, { conversationId: id, seq: 2 }).expect(204);
      await markSeen(session.headers, { conversationId: id, seq: 1 }).expect(204);
      expect((await createVisitorSession(t.http, site, { visitorId: session.visitorId })).seenSeq).toBe(2);

      await markSeen(session.headers, { conversationId: id, seq: 99 }).expect(204);
      expect((await createVisitorSession(t.http, site, { visitorId: session.visitorId })).seenSeq).toBe(2);
    });

    it("refuses another visitor's conversation, or one of another site, with 404 and changes nothing", async () => {
      const owner2 = await signUp(t.http);
      const otherSite = await createSite(t.http, owner2, { allowedOrigins: [ORIGIN] });
      const victim = await createVisitorSession(t.http, site);
      await sendAndAwaitAnswer(t.http, victim.headers, 'Is it waterproof?');
      const intruder = await createVisitorSession(t.http, site);
      const elsewhere = await createVisitorSession(t.http, otherSite);
      const body: WidgetSeenRequest = { conversationId: victim.conversation.id, seq: 2 };

      for (const headers of [intruder.headers, elsewhere.headers, visitorHeaders(site)]) {
        const response = await markSeen(headers, body).expect(404);
        expect((response.body as ErrorResponse).code).toBe('CONVERSATION_NOT_FOUND');
      }
      expect((await createVisitorSession(t.http, site, { visitorId: victim.visitorId })).seenSeq).toBe(0);
    });

    it.each<[string, object]>([
      ['a negative seq', { seq: -1 }],
      ['a fractional seq', { seq: 1.5 }],
      ['a seq that is text', { seq: '2' }],
      ['a seq beyond the largest', { seq: 2 ** 31 }],
      ['a conversation id that is not a uuid', { conversationId: 'abc' }],
      ['no conversation id', { conversationId: undefined }],
    ])('refuses %s with 400 VALIDATION_FAILED and changes nothing', async (_, change) => {
      const session = await createVisitorSession(t.http, site);
      await sendAndAwaitAnswer(t.http, session.headers, 'Do you sell gift cards?');
      const response = await markSeen(session.headers, {
        conversationId: session.conversation.id,
        seq: 2,
        ...change,
      }).expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      expect((await createVisitorSession(t.http, site, { visitorId: session.visitorId })).seenSeq).toBe(0);
    });
  });

  describe('under concurrency', () => {
    it('stores exactly one message for 100 concurrent identical posts: one 201 and 99 200', async () => {
      const session = await createVisitorSession(t.http, site);
      const request: SendMessageRequest = { id: randomUUID(), body: 'Sent by a flaky network' };
      const responses = await t.concurrently(() =>
        Promise.all(Array.from({ length: 100 }, () => post(session.headers, request))),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(99);
      expect(new Set(responses.map((r) => (r.body as Message).id)).size).toBe(1);

      await waitForVisitorMessage(t.http, session.headers, 1, (m) => m.author === 'assistant');
      const { messages } = await transcriptOf(session.conversation.id);
      expect(messages.filter((m) => m.author === 'visitor')).toEqual([
        expect.objectContaining({ clientMessageId: request.id, seq: 1 }),
      ]);
    });

    it('numbers concurrent posts 1..n with no gap or duplicate, assistant answers included', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 30 }), async (n) => {
          const session = await createVisitorSession(t.http, site);
          const sent = await t.concurrently(() =>
            Promise.all(
              Array.from({ length: n }, (_, i) =>
                sendVisitorMessage(t.http, session.headers, `Question ${i}`),
              ),
            ),
          );
          // Every visitor message gets one assistant answer, written in the background.
          const { messages, conversation } = await waitForTranscript(session.conversation.id, 2 * n);
          const seqs = messages.map((m) => m.seq);
          expect(seqs).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1));
          expect(conversation).toMatchObject({ lastSeq: 2 * n, messageCount: 2 * n });
          expect(new Set(sent.map((m) => m.seq)).size).toBe(n);
          expect(messages.filter((m) => m.author === 'assistant')).toHaveLength(n);
        }),
        { numRuns: 10 },
      );
    }, 120_000);
  });

  /** The transcript once it holds `count` messages (or whatever it holds after 5 s). */
  async function waitForTranscript(conversationId: string, count: number) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const transcript = await transcriptOf(conversationId);
      // The conversation row is read before the messages: wait until both have caught up.
      const settled = transcript.messages.length >= count && transcript.conversation.lastSeq >= count;
      if (settled || Date.now() > deadline) return transcript;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it.each(['99999999999', '-1', '1.5', 'abc'])(
    'refuses ?after=%s on the catch-up route with 400',
    async (after) => {
      const session = await createVisitorSession(t.http, site);
      const response = await t.http
        .get(`${route('/api/v1/widget/messages')}?after=${after}`)
        .set(session.headers)
        .expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
    },
  );
});
