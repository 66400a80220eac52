import { randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';

import { REALTIME_CLOSE_CODES, type Message, type ServerFrame, type Site } from '@cloop/contracts';

import { createSite, type SignedUpUser, signUp } from './support/factories';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

describe('realtime socket', () => {
  let t: TestApp;
  let host: string;
  let owner: SignedUpUser;
  let site: Site;
  const sockets: RealtimeClient[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    host = await t.listen();
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => t.close());

  const connect = async (origin?: string) => {
    const socket = await RealtimeClient.connect(host, origin);
    sockets.push(socket);
    return socket;
  };

  const startVisitor = async (onSite: Site = site) => {
    const visitorId = randomUUID();
    const headers = { 'X-Cloop-Site-Key': onSite.publicKey, 'X-Cloop-Visitor': visitorId, Origin: ORIGIN };
    const session = await t.http
      .post(route('/api/v1/widget/session'))
      .set(headers)
      .send({ entryUrl: `${ORIGIN}/pricing` })
      .expect(200);
    const conversationId = (session.body as { conversation: { id: string } }).conversation.id;
    const say = async (body: string): Promise<Message> =>
      (
        await t.http
          .post(route('/api/v1/widget/messages'))
          .set(headers)
          .send({ id: randomUUID(), body })
          .expect(201)
      ).body as Message;
    return { visitorId, headers, conversationId, say, siteKey: onSite.publicKey };
  };

  const consoleSocket = async (user: SignedUpUser, siteId: string) => {
    const socket = await connect();
    socket.send({ type: 'auth', accessToken: user.accessToken });
    await socket.next(ofType('ready'));
    socket.send({ type: 'subscribe', siteId });
    await socket.next(ofType('subscribed'));
    return socket;
  };

  const visitorSocket = async (visitor: { siteKey: string; visitorId: string }) => {
    const socket = await connect(ORIGIN);
    socket.send({ type: 'auth', siteKey: visitor.siteKey, visitorId: visitor.visitorId });
    await socket.next(ofType('ready'));
    return socket;
  };

  it("delivers a visitor's message to a console socket subscribed to the site", async () => {
    const inbox = await consoleSocket(owner, site.id);
    const visitor = await startVisitor();
    const sent = await visitor.say('Do you ship to Finland?');

    const created = await inbox.next(
      (frame): frame is Extract<ServerFrame, { type: 'message.created' }> =>
        frame.type === 'message.created' && frame.message.id === sent.id,
    );
    expect(created).toMatchObject({ siteId: site.id, conversationId: visitor.conversationId });
    await inbox.next(
      (frame) => frame.type === 'conversation.updated' && frame.conversationId === visitor.conversationId,
    );
  });

  it('shows a new conversation in a live inbox as soon as the visitor opens the widget', async () => {
    const inbox = await consoleSocket(owner, site.id);
    const visitor = await startVisitor();
    const opened = await inbox.next(
      (frame) => frame.type === 'conversation.updated' && frame.conversationId === visitor.conversationId,
    );
    expect(opened.type === 'conversation.updated' && opened.conversation).toMatchObject({
      lastSeq: 0,
      status: 'open',
    });
  });

  it("streams the assistant's answer to the visitor as deltas, then the stored message", async () => {
    const visitor = await startVisitor();
    const socket = await visitorSocket(visitor);
    await visitor.say('Hello there');

    const answer = await socket.next(
      (frame) => frame.type === 'message.created' && frame.message.author === 'assistant',
    );
    const deltas = socket.frames.filter(ofType('message.delta')).map((frame) => frame.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(answer.type === 'message.created' && answer.message.body).toBe(deltas.join('').trim());
  });

  it('sends a visitor only their own conversation, trimmed to what the widget may know', async () => {
    const mine = await startVisitor();
    const other = await startVisitor();
    const socket = await visitorSocket(mine);
    const inbox = await consoleSocket(owner, site.id);

    const theirs = await other.say('This is not for the other visitor');
    await inbox.next((frame) => frame.type === 'message.created' && frame.message.id === theirs.id);
    const own = await mine.say('This one is mine');
    await socket.next((frame) => frame.type === 'message.created' && frame.message.id === own.id);
    const updated = await socket.next(ofType('conversation.updated'));

    expect(
      socket.frames.some(
        (frame) => 'conversationId' in frame && frame.conversationId === other.conversationId,
      ),
    ).toBe(false);
    expect(Object.keys(updated.conversation).sort()).toEqual(['email', 'id', 'lastSeq', 'phase', 'status']);
  });

  it("refuses to subscribe a console user to another organization's site", async () => {
    const outsider = await signUp(t.http);
    const socket = await connect();
    socket.send({ type: 'auth', accessToken: outsider.accessToken });
    await socket.next(ofType('ready'));
    socket.send({ type: 'subscribe', siteId: site.id });
    const error = await socket.next(ofType('error'));
    expect(error.code).toBe('SITE_NOT_FOUND');

    const visitor = await startVisitor();
    await visitor.say('Private question');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.frames.filter((frame) => frame.type === 'message.created')).toEqual([]);
  });

  it('replays what a reconnecting client missed after the last seq it saw', async () => {
    const visitor = await startVisitor();
    const first = await visitor.say('First');
    await visitor.say('Second');
    const inbox = await consoleSocket(owner, site.id);

    inbox.send({ type: 'resume', conversationId: visitor.conversationId, afterSeq: first.seq });
    const replayed = await inbox.next(
      (frame) => frame.type === 'message.created' && frame.message.body === 'Second',
    );
    expect(replayed.type === 'message.created' && replayed.message.seq).toBeGreaterThan(first.seq);
    expect(
      inbox.frames.filter(ofType('message.created')).some((frame) => frame.message.seq <= first.seq),
    ).toBe(false);
  });

  it('lets a visitor resume only their own conversation', async () => {
    const mine = await startVisitor();
    const other = await startVisitor();
    await other.say('Secret');
    const socket = await visitorSocket(mine);
    socket.send({ type: 'resume', conversationId: other.conversationId, afterSeq: 0 });
    expect((await socket.next(ofType('error'))).code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('tells the visitor when an agent is typing, and the console when the visitor is', async () => {
    const visitor = await startVisitor();
    const socket = await visitorSocket(visitor);
    const inbox = await consoleSocket(owner, site.id);

    inbox.send({ type: 'typing', conversationId: visitor.conversationId });
    expect(await socket.next(ofType('typing'))).toMatchObject({
      author: 'agent',
      conversationId: visitor.conversationId,
    });
    socket.send({ type: 'typing', conversationId: visitor.conversationId });
    expect(await inbox.next((frame) => frame.type === 'typing' && frame.author === 'visitor')).toBeDefined();
  });

  it('handles frames in the order sent, so a subscribe right behind auth works', async () => {
    const socket = await connect();
    socket.send({ type: 'auth', accessToken: owner.accessToken });
    socket.send({ type: 'subscribe', siteId: site.id });
    socket.send({ type: 'ping' });
    await socket.next(ofType('pong'));
    expect(socket.frames.map((frame) => frame.type)).toEqual(['ready', 'subscribed', 'pong']);
  });

  it('answers ping with pong', async () => {
    const socket = await consoleSocket(owner, site.id);
    socket.send({ type: 'ping' });
    expect(await socket.next(ofType('pong'))).toEqual({ type: 'pong' });
  });

  it.each([
    [
      'a first frame that is not auth',
      { type: 'subscribe', siteId: randomUUID() },
      REALTIME_CLOSE_CODES.unauthenticated,
    ],
    [
      'an invalid access token',
      { type: 'auth', accessToken: 'not-a-token' },
      REALTIME_CLOSE_CODES.unauthenticated,
    ],
    ['a frame that is not JSON we know', { type: 'shout' }, REALTIME_CLOSE_CODES.badFrame],
  ])('closes the socket on %s', async (_, frame, code) => {
    const socket = await connect();
    socket.send(frame);
    expect((await socket.closed).code).toBe(code);
  });

  it('survives a malformed upgrade request and keeps serving', async () => {
    const [hostname, port] = host.split(':');
    const reply = await new Promise<string>((resolve) => {
      const socket = connectTcp(Number(port), hostname ?? '127.0.0.1', () =>
        socket.write('GET // HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'),
      );
      let received = '';
      socket.on('data', (chunk) => (received += String(chunk)));
      socket.on('close', () => resolve(received));
      socket.on('error', () => resolve(received));
    });
    expect(reply).not.toContain('101 Switching Protocols');
    await t.http.get('/api/health').expect(200);
  });

  it('closes a socket that floods frames faster than its budget', async () => {
    const socket = await consoleSocket(owner, site.id);
    for (let i = 0; i < 150; i++) socket.send({ type: 'ping' });
    expect((await socket.closed).code).toBe(1008);
  });

  it('refuses to resume from a seq beyond what a conversation can hold', async () => {
    const socket = await consoleSocket(owner, site.id);
    socket.send({ type: 'resume', conversationId: randomUUID(), afterSeq: 2 ** 31 });
    expect((await socket.next(ofType('error'))).code).toBe('BAD_FRAME');
  });

  it('refuses a visitor socket from an origin the site does not allow', async () => {
    const visitor = await startVisitor();
    const socket = await connect('https://evil.example');
    socket.send({ type: 'auth', siteKey: visitor.siteKey, visitorId: visitor.visitorId });
    expect((await socket.next(ofType('error'))).code).toBe('ORIGIN_NOT_ALLOWED');
    expect((await socket.closed).code).toBe(REALTIME_CLOSE_CODES.unauthenticated);
  });

  it('refuses a visitor id that never started a session', async () => {
    const socket = await connect(ORIGIN);
    socket.send({ type: 'auth', siteKey: site.publicKey, visitorId: randomUUID() });
    expect((await socket.next(ofType('error'))).code).toBe('VISITOR_ID_INVALID');
  });

  it('refuses the access token of a session that has signed out', async () => {
    const user = await signUp(t.http);
    await t.http.post(route('/api/v1/auth/logout')).send({ refreshToken: user.refreshToken }).expect(204);
    const socket = await connect();
    socket.send({ type: 'auth', accessToken: user.accessToken });
    expect((await socket.closed).code).toBe(REALTIME_CLOSE_CODES.unauthenticated);
  });
});
