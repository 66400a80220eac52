import type { Message } from '@cloop/contracts';

import {
  API,
  CONFIG,
  FakeServer,
  FakeSocket,
  nextId,
  RecordingStorage,
  settle,
  SITE_KEY,
} from '../testing/fakes';
import { ApiClient } from './api-client';
import { ChatSession, POLL_INTERVAL_MS, SOCKET_WAIT_MS } from './session';
import { createVisitorStorage } from './storage';
import { ChatStore } from './store';

const VISITOR_KEY = `cloop:visitor:${SITE_KEY}`;

function setup(options: { visitorId?: string } = {}) {
  const server = new FakeServer();
  const local = new RecordingStorage();
  const session = new RecordingStorage();
  if (options.visitorId) local.setItem(VISITOR_KEY, options.visitorId);
  local.writes.length = 0;
  const storage = createVisitorStorage(
    SITE_KEY,
    () => local,
    () => session,
    nextId,
  );
  const store = new ChatStore(CONFIG);
  const chat = new ChatSession({
    apiOrigin: API,
    siteKey: SITE_KEY,
    api: new ApiClient(API, SITE_KEY, server.fetch),
    storage,
    store,
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    newId: nextId,
    entryUrl: 'https://shop.example/shoes?token=secret',
    locale: 'fi-FI',
  });
  return { server, local, store, chat };
}

const bodies = (messages: Message[]) => messages.map((message) => `${message.author}:${message.body}`);

beforeEach(() => {
  FakeSocket.all = [];
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

describe('session', () => {
  it('sends nothing and stores nothing for a visitor who has not interacted', async () => {
    const { server, local, chat } = setup();
    await chat.start(false);
    expect(server.calls).toEqual([]);
    expect(local.writes).toEqual([]);
    expect(FakeSocket.all).toEqual([]);
  });

  it('peeks at nothing for a visitor who has not interacted, and stores nothing', async () => {
    const { server, local, store, chat } = setup();
    await chat.peek();
    expect(server.calls).toEqual([]);
    expect(local.writes).toEqual([]);
    expect(store.unread()).toEqual({ n: 0, last: undefined });
  });

  it.each([
    ['before', false],
    ['after', true],
  ])('lets a loaded session win over a peek that answers %s it', async (_, sessionFirst) => {
    const { server, store, chat } = setup({ visitorId: '00000000-0000-4000-8000-0000000000aa' });
    server.reply('agent', 'Hello from Sam');
    if (sessionFirst) await chat.start(false);
    await Promise.all([chat.peek(), chat.start(false)]);
    expect(server.sent('GET', '/unread')).toHaveLength(1);
    expect(store.state.peek).toBeNull();
    store.update({ seenSeq: 1 });
    expect(store.unread()).toEqual({ n: 0, last: undefined });
  });

  it('creates the visitor UUID on first interaction and opens the session with it', async () => {
    const { server, local, store, chat } = setup();
    await chat.start(true);

    const visitorId = local.getItem(VISITOR_KEY);
    expect(visitorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(local.writes).toEqual([`set ${VISITOR_KEY}`]);
    const [call] = server.sent('POST', '/session');
    expect(call?.headers).toEqual({
      'X-Cloop-Site-Key': SITE_KEY,
      'X-Cloop-Visitor': visitorId,
      'Content-Type': 'application/json',
    });
    expect(call?.body).toEqual({ entryUrl: 'https://shop.example/shoes?token=secret', locale: 'fi-FI' });
    expect(store.state.conversation?.id).toBe('c1');
  });

  it('restores the history of a returning visitor and authenticates the socket as them', async () => {
    const { server, store, chat } = setup({ visitorId: 'returning-visitor' });
    server.reply('visitor', 'Do you ship to Finland?');
    server.reply('assistant', 'Yes.');
    await chat.start(false);

    expect(bodies(store.state.messages)).toEqual(['visitor:Do you ship to Finland?', 'assistant:Yes.']);
    const socket = FakeSocket.latest();
    expect(socket.url).toBe('wss://chat.example/api/v1/realtime');
    socket.onopen?.();
    expect(socket.sent[0]).toEqual({ type: 'auth', siteKey: SITE_KEY, visitorId: 'returning-visitor' });
  });
});

describe('realtime', () => {
  it('resumes from the last seq it saw, after the first connect and after every reconnect', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    server.reply('visitor', 'one');
    await chat.start(false);
    const first = FakeSocket.latest();
    first.accept();
    expect(first.sent[1]).toEqual({ type: 'resume', conversationId: 'c1', afterSeq: 1 });

    first.push({
      type: 'message.created',
      siteId: 's',
      conversationId: 'c1',
      message: server.reply('agent', 'two'),
    });
    first.drop();
    await jest.advanceTimersByTimeAsync(1000);
    const second = FakeSocket.latest();
    expect(second).not.toBe(first);
    second.accept();

    expect(second.sent[1]).toEqual({ type: 'resume', conversationId: 'c1', afterSeq: 2 });
    expect(bodies(store.state.messages)).toEqual(['visitor:one', 'agent:two']);
  });

  it('resumes from before the first gap when the server says events were missed (a Redis outage)', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    server.reply('visitor', 'one');
    await chat.start(false);
    const socket = FakeSocket.latest();
    socket.accept();
    server.reply('visitor', 'two (posted through another replica)');
    const three = server.reply('assistant', 'three');
    socket.push({ type: 'message.created', siteId: 's', conversationId: 'c1', message: three });

    socket.push({ type: 'resync' });
    await settle();

    expect(socket.sent.at(-1)).toEqual({ type: 'resume', conversationId: 'c1', afterSeq: 1 });
    // The session reload brings the missing message as well.
    expect(bodies(store.state.messages)).toContain('visitor:two (posted through another replica)');
  });

  it('waits longer after each failed connect, and reconnects at once when the browser is online again', async () => {
    const { chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    FakeSocket.latest().drop();
    await jest.advanceTimersByTimeAsync(1000);
    FakeSocket.latest().drop();
    await jest.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.latest().drop();
    chat.online();
    expect(FakeSocket.all).toHaveLength(4);
  });

  it('streams an answer as a draft that the stored message replaces', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    const socket = FakeSocket.latest();
    socket.accept();
    for (const delta of ['Hello ', 'there']) {
      socket.push({ type: 'message.delta', siteId: 's', conversationId: 'c1', streamId: 'st1', delta });
    }
    expect([...store.state.drafts.values()]).toEqual(['Hello there']);

    const stored = server.reply('assistant', 'Hello there', { clientMessageId: 'st1' });
    socket.push({ type: 'message.created', siteId: 's', conversationId: 'c1', message: stored });
    expect(store.state.drafts.size).toBe(0);
    expect(bodies(store.state.messages)).toEqual(['assistant:Hello there']);
  });

  it('shows who is typing until their message arrives', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    const socket = FakeSocket.latest();
    socket.accept();
    socket.push({ type: 'typing', siteId: 's', conversationId: 'c1', author: 'agent' });
    expect(store.state.typing).toBe('agent');
    socket.push({
      type: 'message.created',
      siteId: 's',
      conversationId: 'c1',
      message: server.reply('agent', 'Hi'),
    });
    expect(store.state.typing).toBeNull();
  });

  it.each([
    [
      'the visitor.erased frame',
      (socket: FakeSocket) => socket.push({ type: 'visitor.erased', siteId: 's' }),
    ],
    ['close code 4410', (socket: FakeSocket) => socket.drop(4410)],
  ])('forgets the visitor on %s and never reconnects with the old UUID', async (_, erase) => {
    const { server, local, store, chat } = setup({ visitorId: 'v1' });
    server.reply('visitor', 'private question');
    await chat.start(false);
    const socket = FakeSocket.latest();
    socket.accept();

    erase(socket);
    await jest.advanceTimersByTimeAsync(60_000);

    expect(local.getItem(VISITOR_KEY)).toBeNull();
    expect(store.state.messages).toEqual([]);
    expect(store.state.conversation).toBeNull();
    expect(FakeSocket.all).toHaveLength(1);
    expect(server.sent('GET', '/messages')).toEqual([]);

    const sending = chat.send('a new start');
    await settle();
    FakeSocket.latest().accept();
    await sending;
    const newId = local.getItem(VISITOR_KEY);
    expect(newId).not.toBeNull();
    expect(newId).not.toBe('v1');
  });
});

describe('polling fallback', () => {
  it('polls for messages after the last seq while the socket cannot connect, and stops once it can', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    server.reply('visitor', 'one');
    await chat.start(false);
    FakeSocket.latest().drop();
    server.reply('agent', 'answered while the socket was down');

    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(server.sent('GET', '/messages').map((call) => call.path)).toContain('/messages?after=1');
    expect(bodies(store.state.messages)).toEqual(['visitor:one', 'agent:answered while the socket was down']);

    FakeSocket.latest().accept();
    const polls = server.sent('GET', '/messages').length;
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3);
    expect(server.sent('GET', '/messages')).toHaveLength(polls);
  });
});

describe('offline queue', () => {
  it('queues messages typed offline with their ids and sends each once, in order, when the network returns', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    FakeSocket.latest().accept();
    server.offline = true;
    await chat.send('first');
    await chat.send('second');
    expect(store.state.pending.map((message) => [message.body, message.state])).toEqual([
      ['first', 'queued'],
      ['second', 'queued'],
    ]);
    expect(store.state.problem).toBe('offline');
    const ids = store.state.pending.map((message) => message.id);

    server.offline = false;
    chat.online();
    await settle(40);

    expect(server.messages.map((message) => [message.clientMessageId, message.body])).toEqual([
      [ids[0], 'first'],
      [ids[1], 'second'],
    ]);
    expect(store.state.pending).toEqual([]);
    expect(bodies(store.state.messages)).toEqual(['visitor:first', 'visitor:second']);
    expect(store.state.problem).toBeNull();
  });

  it('resends with the same id when a response was lost, and shows the message once', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    FakeSocket.latest().accept();
    server.loseResponses = 1;

    // The server stores the message, but the answer to the POST never arrives.
    await chat.send('hello');
    expect(store.state.pending.map((message) => message.state)).toEqual(['queued']);
    await jest.advanceTimersByTimeAsync(2000);
    await settle(20);

    const stored = server.messages[0];
    const posts = server.sent('POST', '/messages').map((call) => (call.body as { id: string }).id);
    expect(posts).toEqual([stored?.clientMessageId, stored?.clientMessageId]);
    expect(server.messages).toHaveLength(1);
    expect(bodies(store.state.messages)).toEqual(['visitor:hello']);
    expect(store.state.pending).toEqual([]);
  });

  it('does not resend a message whose answer was lost once the socket has announced it', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    const socket = FakeSocket.latest();
    socket.accept();
    server.loseResponses = 1;
    await chat.send('hello');
    const stored = server.messages[0];
    if (!stored) throw new Error('the server stored nothing');
    socket.push({ type: 'message.created', siteId: 's', conversationId: 'c1', message: stored });
    await jest.advanceTimersByTimeAsync(30_000);

    expect(server.sent('POST', '/messages')).toHaveLength(1);
    expect(bodies(store.state.messages)).toEqual(['visitor:hello']);
    expect(store.state.pending).toEqual([]);
  });

  it('retries after the Retry-After of a 429, not sooner', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    FakeSocket.latest().accept();
    server.refuseNextSend = { status: 429, code: 'RATE_LIMITED' };
    server.retryAfter = '5';
    await chat.send('slow down');
    await jest.advanceTimersByTimeAsync(4000);
    expect(server.sent('POST', '/messages')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    await settle(20);
    expect(server.sent('POST', '/messages')).toHaveLength(2);
    expect(bodies(store.state.messages)).toEqual(['visitor:slow down']);
  });

  it('marks a message the server refuses as failed, and sends it again with the same id on retry', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    FakeSocket.latest().accept();
    server.refuseNextSend = { status: 409, code: 'MESSAGE_ID_CONFLICT' };
    await chat.send('refused once');
    const [pending] = store.state.pending;
    expect(pending?.state).toBe('failed');

    await chat.outbox.retry(pending?.id ?? '');
    expect(server.messages.map((message) => message.clientMessageId)).toEqual([pending?.id]);
    expect(store.state.pending).toEqual([]);
  });

  it('opens the session first when the first message is sent', async () => {
    const { server, local, store, chat } = setup();
    const sending = chat.send('hi');
    await settle();
    // The first message waits for the socket, so that the events it causes (the answer) arrive.
    expect(server.sent('POST', '/messages')).toEqual([]);
    FakeSocket.latest().accept();
    await sending;
    expect(server.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'POST /session',
      'POST /messages',
    ]);
    expect(local.getItem(VISITOR_KEY)).not.toBeNull();
    expect(bodies(store.state.messages)).toEqual(['visitor:hi']);
  });
});

describe('contact', () => {
  it('leaves the email and takes the conversation the server returns', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.leaveContact('ada@example.test');
    expect(server.sent('PUT', '/contact')[0]?.body).toEqual({ email: 'ada@example.test' });
    expect(store.state.conversation).toMatchObject({
      phase: 'requesting_contact',
      email: 'ada@example.test',
    });
  });
});

describe('first message and reconnects', () => {
  it('sends the first message after at most SOCKET_WAIT_MS when the socket neither opens nor fails', async () => {
    const { server, chat } = setup();
    const sending = chat.send('hi');
    await jest.advanceTimersByTimeAsync(SOCKET_WAIT_MS - 1);
    expect(server.sent('POST', '/messages')).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await sending;
    expect(server.sent('POST', '/messages')).toHaveLength(1);
  });

  it('refreshes the conversation after a reconnect, so a phase change missed while down still shows', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    await chat.start(false);
    FakeSocket.latest().accept();
    FakeSocket.latest().drop();
    server.conversation = { ...server.conversation, phase: 'requesting_contact' };
    await jest.advanceTimersByTimeAsync(1000);
    FakeSocket.latest().accept();
    await settle();
    expect(store.state.conversation?.phase).toBe('requesting_contact');
  });

  it('after the team deletes the conversation, starts a new one and sends at once on the live socket', async () => {
    const { server, store, chat } = setup({ visitorId: 'v1' });
    server.reply('visitor', 'old question');
    await chat.start(false);
    const socket = FakeSocket.latest();
    socket.accept();
    socket.push({ type: 'conversation.deleted', siteId: 's', conversationId: 'c1' });
    expect(store.state.messages).toEqual([]);

    server.messages.length = 0;
    server.conversation = { id: 'c2', phase: 'exploring', status: 'open', email: null, lastSeq: 0 };
    await chat.send('new question');

    expect(server.sent('POST', '/session')).toHaveLength(2);
    expect(store.state.conversation?.id).toBe('c2');
    expect(bodies(store.state.messages)).toEqual(['visitor:new question']);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
