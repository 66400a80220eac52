import { randomUUID } from 'node:crypto';

import {
  type Conversation,
  type ConversationSeenRequest,
  type ErrorResponse,
  isUnread,
  type SendMessageRequest,
  type ServerFrame,
  type Site,
} from '@cloop/contracts';
import type { Response } from 'supertest';

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
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

/** The inbox's last-message preview, last author and the team's unread state (issue 17). */
describe('inbox preview and unread state', () => {
  let t: TestApp;
  let host: string;
  let owner: SignedUpUser;
  let member: SignedUpUser;
  let outsider: SignedUpUser;
  let site: Site;
  let otherSite: Site;
  const sockets: RealtimeClient[] = [];

  const seen = (id: string, body: unknown, user = member, siteId = site.id) =>
    t.http
      .put(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/seen', { siteId, conversationId: id }),
      )
      .set(user.auth)
      .send(body as object);
  const reply = (id: string, body: string, user = member) => {
    const request: SendMessageRequest = { id: randomUUID(), body };
    return t.http
      .post(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
          siteId: site.id,
          conversationId: id,
        }),
      )
      .set(user.auth)
      .send(request)
      .expect(201);
  };
  const listed = async (id: string, siteId = site.id): Promise<Conversation | undefined> =>
    (await listAllConversations(t.http, owner, siteId)).find((c) => c.id === id);
  const detail = async (id: string, siteId = site.id): Promise<Conversation> =>
    (await getTranscript(t.http, owner, siteId, id)).conversation;
  const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
    expect(response.status).toBe(status);
    expect((response.body as ErrorResponse).code).toBe(code);
  };
  /** A conversation whose visitor asked once and the assistant answered (seq 1 and 2). */
  const answered = async (text: string, on: Site = site): Promise<VisitorSession> => {
    const session = await createVisitorSession(t.http, on);
    await sendAndAwaitAnswer(t.http, session.headers, text);
    return session;
  };
  const consoleSocket = async (user: SignedUpUser) => {
    const socket = await RealtimeClient.connect(host);
    sockets.push(socket);
    socket.send({ type: 'auth', accessToken: user.accessToken });
    await socket.next(ofType('ready'));
    socket.send({ type: 'subscribe', siteId: site.id });
    await socket.next(ofType('subscribed'));
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp();
    host = await t.listen();
    owner = await signUp(t.http, { name: 'Olivia Owner' });
    member = await signUp(t.http, { name: 'Maija Member' });
    outsider = await signUp(t.http, { name: 'Otto Outsider' });
    await addMember(t.http, owner, member, 'member');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    otherSite = await createSite(t.http, owner, { name: 'Other shop', allowedOrigins: [ORIGIN] });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => t.close());

  it('lists and details the preview, the last author and the read position as one conversation moves', async () => {
    const session = await createVisitorSession(t.http, site);
    const id = session.conversation.id;
    // Before any message: nothing to preview, nothing unread.
    const empty = await detail(id);
    expect(empty).toMatchObject({ lastMessagePreview: null, lastMessageAuthor: null, teamSeenSeq: 0 });
    expect(isUnread(empty)).toBe(false);

    const { answer } = await sendAndAwaitAnswer(t.http, session.headers, 'Do you ship to Finland?');
    const afterAnswer = {
      lastSeq: 2,
      lastMessagePreview: answer.body.slice(0, 200),
      lastMessageAuthor: 'assistant',
      teamSeenSeq: 0,
    };
    expect(await listed(id)).toMatchObject(afterAnswer);
    expect(await detail(id)).toMatchObject(afterAnswer);
    expect(isUnread(await detail(id))).toBe(true);

    // Whoever answers has read that far: an agent's reply leaves the conversation read.
    await reply(id, 'Yes, in 3–5 working days.');
    const afterReply = {
      lastSeq: 3,
      lastMessagePreview: 'Yes, in 3–5 working days.',
      lastMessageAuthor: 'agent',
      teamSeenSeq: 3,
    };
    expect(await listed(id)).toMatchObject(afterReply);
    expect(await detail(id)).toMatchObject(afterReply);

    // The visitor writes again: unread again, their words (cut to 200 characters) previewed.
    const long = `Thanks! ${'And one more thing. '.repeat(20)}`;
    await sendVisitorMessage(t.http, session.headers, long);
    const afterVisitor = await listed(id);
    expect(afterVisitor).toMatchObject({
      lastSeq: 4,
      lastMessagePreview: long.slice(0, 200),
      lastMessageAuthor: 'visitor',
      teamSeenSeq: 3,
    });
    expect(isUnread(afterVisitor ?? empty)).toBe(true);
    expect(await detail(id)).toEqual(afterVisitor);
  });

  it('moves the read position forward only, and never past the last message', async () => {
    const session = await answered('Can I return shoes?');
    const id = session.conversation.id;

    const first = await seen(id, { seq: 1 } satisfies ConversationSeenRequest).expect(200);
    expect(first.body as Conversation).toMatchObject({ id, lastSeq: 2, teamSeenSeq: 1 });
    expect(await listed(id)).toMatchObject({ teamSeenSeq: 1 });

    // Backwards, or the same again: 200 with the position unchanged.
    for (const seq of [0, 1]) {
      expect((await seen(id, { seq }).expect(200)).body as Conversation).toMatchObject({ teamSeenSeq: 1 });
    }
    // Ahead of the conversation (a stale or hostile client): held at the last message.
    const ahead = await seen(id, { seq: 1_000_000 }).expect(200);
    expect(ahead.body as Conversation).toMatchObject({ lastSeq: 2, teamSeenSeq: 2 });
    expect(isUnread(ahead.body as Conversation)).toBe(false);
    expect(await detail(id)).toMatchObject({ teamSeenSeq: 2 });

    // New messages after that are unread, and marking them read takes the position with them.
    await sendAndAwaitAnswer(t.http, session.headers, 'Hello again?');
    expect(await detail(id)).toMatchObject({ lastSeq: 4, teamSeenSeq: 2 });
    await seen(id, { seq: 4 }).expect(200);
    expect(await listed(id)).toMatchObject({ lastSeq: 4, teamSeenSeq: 4 });
  });

  it("tells the team's live inboxes that a conversation was read, and never the visitor", async () => {
    const session = await answered('Do you have gift cards?');
    const id = session.conversation.id;
    const colleague = await consoleSocket(owner);
    const visitor = await RealtimeClient.connect(host, ORIGIN);
    sockets.push(visitor);
    visitor.send({ type: 'auth', siteKey: site.publicKey, visitorId: session.visitorId });
    await visitor.next(ofType('ready'));

    await seen(id, { seq: 2 }).expect(200);
    const event = await colleague.next(
      (frame): frame is Extract<ServerFrame, { type: 'conversation.seen' }> =>
        frame.type === 'conversation.seen' && frame.conversationId === id,
    );
    expect(event).toEqual({ type: 'conversation.seen', siteId: site.id, conversationId: id, teamSeenSeq: 2 });

    // Marking it read again moves nothing and announces nothing; a later visitor message still
    // reaches the visitor's socket, after which nothing about reading may have come before it.
    await seen(id, { seq: 2 }).expect(200);
    const later = await sendVisitorMessage(t.http, session.headers, 'Still there?');
    await visitor.next((frame) => frame.type === 'message.created' && frame.message.id === later.id);
    await colleague.next((frame) => frame.type === 'message.created' && frame.message.id === later.id);
    expect(visitor.frames.filter((frame) => frame.type === 'conversation.seen')).toEqual([]);
    expect(colleague.frames.filter((frame) => frame.type === 'conversation.seen')).toHaveLength(1);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const session = await answered('Is there a store in Turku?');
    const id = session.conversation.id;
    await seen(id, { seq: 1 }).expect(200);
    const before = await detail(id);

    for (const body of [
      {},
      { seq: -1 },
      { seq: 1.5 },
      { seq: '2' },
      { seq: null },
      { seq: 2_147_483_648 },
      { seq: 2, extra: true },
    ]) {
      expectCode(await seen(id, body), 400, 'VALIDATION_FAILED');
    }
    expectCode(await seen('not-a-uuid', { seq: 2 }), 400, 'VALIDATION_FAILED');
    expect(await detail(id)).toEqual(before);
  });

  it('answers 404 for an unknown conversation or one of another site, and leaves that one unread', async () => {
    expectCode(await seen(randomUUID(), { seq: 1 }), 404, 'CONVERSATION_NOT_FOUND');

    const elsewhere = await answered('A question on the other shop', otherSite);
    const id = elsewhere.conversation.id;
    expectCode(await seen(id, { seq: 2 }, owner, site.id), 404, 'CONVERSATION_NOT_FOUND');
    expect(await detail(id, otherSite.id)).toMatchObject({ lastSeq: 2, teamSeenSeq: 0 });
  });

  it('refuses a user of another organization (404) and changes nothing', async () => {
    const session = await answered('Private to this shop');
    const id = session.conversation.id;
    expectCode(await seen(id, { seq: 2 }, outsider), 404, 'SITE_NOT_FOUND');
    expect(await detail(id)).toMatchObject({ lastSeq: 2, teamSeenSeq: 0 });
    // Nor without signing in.
    expect(
      (
        await t.http
          .put(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}/seen', {
              siteId: site.id,
              conversationId: id,
            }),
          )
          .send({ seq: 2 })
      ).status,
    ).toBe(401);
    expect(await detail(id)).toMatchObject({ teamSeenSeq: 0 });
  });
});
