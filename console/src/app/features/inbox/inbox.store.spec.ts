import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { Conversation, ConversationListQuery, Page, RealtimeEvent, Transcript } from '@cloop/contracts';

import { Realtime } from '../../core/realtime/realtime';
import { SiteContext } from '../../core/site/site-context';
import { createConversation, createMessage } from '../../testing/factories';
import { InboxApi } from './inbox.api';
import { InboxStore } from './inbox.store';

class FakeRealtime {
  status = signal<'offline' | 'connecting' | 'live'>('live');
  listeners: ((event: RealtimeEvent) => void)[] = [];
  resubscribed: (() => void)[] = [];
  on(listener: (event: RealtimeEvent) => void): () => void {
    this.listeners.push(listener);
    return () => undefined;
  }
  onResubscribed(listener: () => void): () => void {
    this.resubscribed.push(listener);
    return () => undefined;
  }
  emit(event: RealtimeEvent): void {
    this.listeners.forEach((listener) => listener(event));
  }
}

function setUp(pages: Page<Conversation>[], transcripts: Record<string, Transcript> = {}) {
  const queries: ConversationListQuery[] = [];
  const api = {
    list: jest.fn((_siteId: string, query: ConversationListQuery) => {
      queries.push(query);
      return Promise.resolve(pages.shift() ?? { items: [], nextCursor: null });
    }),
    get: jest.fn((_siteId: string, id: string) => {
      const transcript = transcripts[id];
      return transcript ? Promise.resolve(transcript) : Promise.reject(new Error('404'));
    }),
    reply: jest.fn(),
    update: jest.fn(),
    remove: jest.fn(),
    seen: jest.fn((_siteId: string, id: string, seq: number) =>
      Promise.resolve(createConversation({ id, lastSeq: seq, teamSeenSeq: seq })),
    ),
  };
  const realtime = new FakeRealtime();
  const selected = signal<string | null>('site-1');
  TestBed.configureTestingModule({
    providers: [
      InboxStore,
      { provide: InboxApi, useValue: api },
      { provide: Realtime, useValue: realtime },
      { provide: SiteContext, useValue: { siteId: selected.asReadonly() } },
    ],
  });
  return { store: TestBed.inject(InboxStore), api, realtime, queries, selected };
}

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 29, 10, minute)).toISOString();
const flush = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('InboxStore', () => {
  it('loads the first page of the selected site with the filters as query', async () => {
    const conversation = createConversation({ siteId: 'site-1' });
    const { store, queries } = setUp([{ items: [conversation], nextCursor: 'c2' }]);
    await store.showSelectedSite();
    await store.setFilters({ phase: 'learning', lead: true, q: ' refund ' });
    expect(queries.at(-1)).toEqual({
      limit: 50,
      cursor: undefined,
      phase: 'learning',
      lead: true,
      q: 'refund',
    });
  });

  it('appends the next page on scroll and skips duplicates', async () => {
    const [a, b, c] = [1, 2, 3].map((n) =>
      createConversation({ siteId: 'site-1', lastMessageAt: at(60 - n) }),
    );
    const { store, queries } = setUp([
      { items: [a, b], nextCursor: 'next' },
      { items: [b, c], nextCursor: null },
    ]);
    await store.showSelectedSite();
    await store.loadMore();
    expect(queries.at(-1)?.cursor).toBe('next');
    expect(store.items().map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    expect(store.nextCursor()).toBeNull();
  });

  it('moves a conversation to the top when a message arrives live, and appends it to the open transcript', async () => {
    const older = createConversation({ siteId: 'site-1', lastMessageAt: at(1), lastSeq: 1, messageCount: 1 });
    const newer = createConversation({ siteId: 'site-1', lastMessageAt: at(5) });
    const first = createMessage({ conversationId: older.id, seq: 1 });
    const { store, realtime } = setUp([{ items: [newer, older], nextCursor: null }], {
      [older.id]: { conversation: older, messages: [first] },
    });
    await store.showSelectedSite();
    await store.open(older.id);

    const message = createMessage({ conversationId: older.id, seq: 2, createdAt: at(9), body: 'Hello?' });
    realtime.emit({ type: 'message.created', siteId: 'site-1', conversationId: older.id, message });
    realtime.emit({ type: 'message.created', siteId: 'site-1', conversationId: older.id, message });

    expect(store.items().map((x) => x.id)).toEqual([older.id, newer.id]);
    expect(store.items()[0]).toMatchObject({ lastSeq: 2, messageCount: 2, lastMessageAt: at(9) });
    expect(store.transcript()?.messages.map((m) => m.body)).toEqual([first.body, 'Hello?']);
  });

  it('marks the opened conversation read, and keeps it read as messages arrive while it is open', async () => {
    const open = createConversation({ siteId: 'site-1', lastSeq: 2, teamSeenSeq: 0 });
    const other = createConversation({ siteId: 'site-1', lastSeq: 1, teamSeenSeq: 1 });
    const { store, realtime, api } = setUp([{ items: [open, other], nextCursor: null }], {
      [open.id]: { conversation: open, messages: [createMessage({ conversationId: open.id, seq: 2 })] },
    });
    await store.showSelectedSite();
    await store.open(open.id);
    await flush();
    expect(api.seen).toHaveBeenCalledWith('site-1', open.id, 2);
    expect(store.items().find((c) => c.id === open.id)).toMatchObject({ teamSeenSeq: 2 });

    // A visitor message in the open conversation: shown as the preview, then read at once.
    const message = createMessage({
      conversationId: open.id,
      seq: 3,
      author: 'visitor',
      body: 'Still there?',
      createdAt: at(30),
    });
    realtime.emit({ type: 'message.created', siteId: 'site-1', conversationId: open.id, message });
    expect(store.items()[0]).toMatchObject({
      lastMessagePreview: 'Still there?',
      lastMessageAuthor: 'visitor',
    });
    await flush();
    expect(api.seen).toHaveBeenLastCalledWith('site-1', open.id, 3);
    expect(store.items()[0]).toMatchObject({ lastSeq: 3, teamSeenSeq: 3 });

    // One that is not open becomes unread, until a colleague's read arrives; a stale update keeps it read.
    const elsewhere = createMessage({
      conversationId: other.id,
      seq: 2,
      author: 'visitor',
      createdAt: at(59),
    });
    realtime.emit({
      type: 'message.created',
      siteId: 'site-1',
      conversationId: other.id,
      message: elsewhere,
    });
    expect(store.items()[0]).toMatchObject({ id: other.id, lastSeq: 2, teamSeenSeq: 1 });
    realtime.emit({ type: 'conversation.seen', siteId: 'site-1', conversationId: other.id, teamSeenSeq: 2 });
    expect(store.items()[0]).toMatchObject({ id: other.id, teamSeenSeq: 2 });
    realtime.emit({
      type: 'conversation.updated',
      siteId: 'site-1',
      conversationId: other.id,
      conversation: { ...other, lastSeq: 2, lastMessageAt: at(59), teamSeenSeq: 1 },
    });
    expect(store.items()[0]).toMatchObject({ id: other.id, teamSeenSeq: 2 });
    expect(api.seen).toHaveBeenCalledTimes(2);
  });

  it('fetches and shows a new conversation that appears live', async () => {
    const fresh = createConversation({ siteId: 'site-1', lastMessageAt: at(30) });
    const { store, realtime, api } = setUp([{ items: [], nextCursor: null }], {
      [fresh.id]: { conversation: fresh, messages: [] },
    });
    await store.showSelectedSite();
    realtime.emit({
      type: 'message.created',
      siteId: 'site-1',
      conversationId: fresh.id,
      message: createMessage({ conversationId: fresh.id, seq: 1 }),
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(api.get).toHaveBeenCalledWith('site-1', fresh.id);
    expect(store.items().map((x) => x.id)).toEqual([fresh.id]);
  });

  it('drops answers asked for the site that was selected before a switch', async () => {
    const old = createConversation({ siteId: 'site-1' });
    const { store, api, selected } = setUp([], { [old.id]: { conversation: old, messages: [] } });
    let answerList: (page: Page<Conversation>) => void = () => undefined;
    api.list.mockImplementationOnce(() => new Promise((resolve) => (answerList = resolve)));
    const showing = store.showSelectedSite();
    const opening = store.open(old.id);

    selected.set('site-2');
    answerList({ items: [old], nextCursor: 'c2' });
    await Promise.all([showing, opening]);
    expect(store.items()).toEqual([]);
    expect(store.nextCursor()).toBeNull();
    expect(store.transcript()).toBeNull();

    await store.showSelectedSite();
    expect(api.list).toHaveBeenLastCalledWith('site-2', expect.anything());
    expect(store.shownSiteId()).toBe('site-2');
  });

  it('ignores events of other sites', async () => {
    const { store, realtime, api } = setUp([{ items: [], nextCursor: null }]);
    await store.showSelectedSite();
    realtime.emit({
      type: 'message.created',
      siteId: 'site-2',
      conversationId: 'elsewhere',
      message: createMessage(),
    });
    expect(api.get).not.toHaveBeenCalled();
    expect(store.items()).toEqual([]);
  });

  it('drops a conversation that no longer matches the phase filter, and one that was deleted', async () => {
    const a = createConversation({ siteId: 'site-1', phase: 'learning', lastMessageAt: at(2) });
    const b = createConversation({ siteId: 'site-1', phase: 'learning', lastMessageAt: at(1) });
    const { store, realtime } = setUp(
      [
        { items: [], nextCursor: null },
        { items: [a, b], nextCursor: null },
      ],
      {
        [b.id]: { conversation: b, messages: [] },
      },
    );
    await store.showSelectedSite();
    await store.setFilters({ phase: 'learning' });
    await store.open(b.id);

    realtime.emit({
      type: 'conversation.updated',
      siteId: 'site-1',
      conversationId: a.id,
      conversation: { ...a, phase: 'requesting_contact' },
    });
    realtime.emit({ type: 'conversation.deleted', siteId: 'site-1', conversationId: b.id });

    expect(store.items()).toEqual([]);
    expect(store.transcript()).toBeNull();
    expect(store.transcriptMissing()).toBe(true);
  });

  it('reloads the first page after the socket subscribes again', async () => {
    const { store, realtime, api } = setUp([{ items: [], nextCursor: null }]);
    await store.showSelectedSite();
    realtime.resubscribed.forEach((listener) => listener());
    expect(api.list).toHaveBeenCalledTimes(2);
  });

  it('asks for the list once when the socket is still connecting: the subscription loads it', async () => {
    const { store, realtime, api } = setUp([{ items: [], nextCursor: null }]);
    realtime.status.set('connecting');
    await store.showSelectedSite();
    expect(api.list).not.toHaveBeenCalled();

    realtime.status.set('live');
    realtime.resubscribed.forEach((listener) => listener());
    expect(api.list).toHaveBeenCalledTimes(1);
  });

  it('loads anyway when the socket does not come up', async () => {
    jest.useFakeTimers();
    try {
      const { store, realtime, api } = setUp([{ items: [], nextCursor: null }]);
      realtime.status.set('connecting');
      await store.showSelectedSite();
      jest.advanceTimersByTime(3000);
      expect(api.list).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
