import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import {
  type Conversation,
  type ConversationListQuery,
  isUnread,
  type Message,
  MESSAGE_PREVIEW_LENGTH,
  type Phase,
  type RealtimeEvent,
  type Transcript,
  type UpdateConversationRequest,
} from '@cloop/contracts';

import { Realtime } from '../../core/realtime/realtime';
import { SiteContext } from '../../core/site/site-context';
import { InboxApi } from './inbox.api';

export interface InboxFilters {
  phase: Phase | null;
  lead: boolean;
  q: string;
}

const PAGE_SIZE = 50;
const TYPING_SHOWN_MS = 4000;
/** How long a first load waits for the socket it would reload after anyway (then loads regardless). */
const LIVE_WAIT_MS = 3000;

const newestFirst = (a: Conversation, b: Conversation): number =>
  b.lastMessageAt.localeCompare(a.lastMessageAt);

/**
 * The selected site's inbox: a filtered, paged list kept current by realtime events, and the open
 * conversation's transcript. Events for other sites are ignored; after a reconnect the first page
 * and the open transcript are reloaded, since events may have been missed.
 *
 * The site comes from `SiteContext`. The store remembers only which site its list holds
 * (`shownSiteId`), so that a page opened again does not reload it; every request captures the
 * site it asked for and drops its answer when the selection has moved on meanwhile.
 *
 * Unread state is the team's read position (`teamSeenSeq`): the open conversation, while the tab
 * is visible, is marked read up to its last message, on opening and as messages arrive.
 */
@Injectable()
export class InboxStore {
  private readonly api = inject(InboxApi);
  private readonly realtime = inject(Realtime);
  private readonly sites = inject(SiteContext);

  private readonly shownSiteValue = signal<string | null>(null);
  /** The site whose inbox the list holds (`null` before the first is shown). */
  readonly shownSiteId = this.shownSiteValue.asReadonly();
  private readonly filtersValue = signal<InboxFilters>({ phase: null, lead: false, q: '' });
  readonly filters = this.filtersValue.asReadonly();
  private readonly itemsValue = signal<Conversation[]>([]);
  readonly items = this.itemsValue.asReadonly();
  private readonly nextCursorValue = signal<string | null>(null);
  readonly nextCursor = this.nextCursorValue.asReadonly();
  private readonly loadingValue = signal(false);
  readonly loading = this.loadingValue.asReadonly();
  private readonly errorValue = signal(false);
  readonly error = this.errorValue.asReadonly();
  private readonly transcriptValue = signal<Transcript | null>(null);
  readonly transcript = this.transcriptValue.asReadonly();
  private readonly transcriptMissingValue = signal(false);
  readonly transcriptMissing = this.transcriptMissingValue.asReadonly();
  private readonly typingInValue = signal<string | null>(null);
  readonly typingIn = this.typingInValue.asReadonly();
  private generation = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private liveWait: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    const stopEvents = this.realtime.on((event) => this.apply(event));
    const stopResubscribed = this.realtime.onResubscribed(() => {
      this.stopWaitingForLive();
      void this.reload();
    });
    // Back to a tab left in the background: what arrived meanwhile is now in front of the agent.
    const onVisible = () => void this.markOpenSeen();
    document.addEventListener('visibilitychange', onVisible);
    inject(DestroyRef).onDestroy(() => {
      stopEvents();
      stopResubscribed();
      document.removeEventListener('visibilitychange', onVisible);
      if (this.typingTimer) clearTimeout(this.typingTimer);
      this.stopWaitingForLive();
    });
  }

  /** Shows the selected site's inbox; does nothing when it is already shown. */
  async showSelectedSite(): Promise<void> {
    const siteId = this.sites.siteId();
    if (siteId === this.shownSiteId()) return;
    this.shownSiteValue.set(siteId);
    this.transcriptValue.set(null);
    this.stopWaitingForLive();
    if (siteId && this.realtime.status() === 'connecting') {
      // The socket reloads the list once subscribed (nothing is missed between the two): loading
      // now too would request the same page twice on every visit.
      this.loadingValue.set(true);
      this.liveWait = setTimeout(() => void this.reload(), LIVE_WAIT_MS);
      return;
    }
    await this.reload();
  }

  /** The selected site while the list holds its inbox; `null` between a switch and its showing. */
  private siteId(): string | null {
    const selected = this.sites.siteId();
    return selected === this.shownSiteId() ? selected : null;
  }

  private stopWaitingForLive(): void {
    if (this.liveWait) clearTimeout(this.liveWait);
    this.liveWait = null;
  }

  async setFilters(change: Partial<InboxFilters>): Promise<void> {
    this.filtersValue.update((filters) => ({ ...filters, ...change }));
    await this.reload();
  }

  /** The first page again (new site, new filters, or back from offline). */
  async reload(): Promise<void> {
    const siteId = this.siteId();
    const generation = ++this.generation;
    this.itemsValue.set([]);
    this.nextCursorValue.set(null);
    this.errorValue.set(false);
    if (!siteId) return;
    await this.fetchPage(siteId, generation, undefined);
    const open = this.transcript();
    if (open) await this.open(open.conversation.id);
  }

  async loadMore(): Promise<void> {
    const siteId = this.siteId();
    const cursor = this.nextCursor();
    if (!siteId || !cursor || this.loading()) return;
    await this.fetchPage(siteId, this.generation, cursor);
  }

  async open(conversationId: string): Promise<void> {
    const siteId = this.siteId();
    if (!siteId) return;
    this.transcriptMissingValue.set(false);
    try {
      const transcript = await this.api.get(siteId, conversationId);
      if (siteId !== this.siteId()) return;
      this.transcriptValue.set(transcript);
      void this.markOpenSeen();
    } catch {
      this.transcriptValue.set(null);
      this.transcriptMissingValue.set(true);
    }
  }

  close(): void {
    this.transcriptValue.set(null);
    this.transcriptMissingValue.set(false);
  }

  async reply(body: string): Promise<boolean> {
    const open = this.transcript();
    const siteId = this.siteId();
    if (!open || !siteId || !body.trim()) return false;
    const message = await this.api.reply(siteId, open.conversation.id, crypto.randomUUID(), body.trim());
    this.addMessage(open.conversation.id, message);
    return true;
  }

  async update(change: UpdateConversationRequest): Promise<void> {
    const open = this.transcript();
    const siteId = this.siteId();
    if (!open || !siteId) return;
    const updated = await this.api.update(siteId, open.conversation.id, change);
    if (siteId === this.siteId()) this.upsert(updated);
  }

  async remove(): Promise<void> {
    const open = this.transcript();
    const siteId = this.siteId();
    if (!open || !siteId) return;
    await this.api.remove(siteId, open.conversation.id);
    this.forget(open.conversation.id);
  }

  /** One realtime event; public for tests. */
  apply(event: RealtimeEvent): void {
    if (event.siteId !== this.siteId()) return;
    switch (event.type) {
      case 'message.created':
        this.addMessage(event.conversationId, event.message);
        return;
      case 'conversation.updated':
        // The team's sockets receive the full conversation (`siteId` is only in the team's view).
        if ('siteId' in event.conversation) this.upsert(event.conversation);
        return;
      case 'conversation.deleted':
        this.forget(event.conversationId);
        return;
      case 'conversation.seen':
        // Another member (or this one, in another tab) read it.
        this.markRead(event.conversationId, event.teamSeenSeq);
        return;
      case 'typing':
        if (event.author === 'visitor') this.showTyping(event.conversationId);
        return;
      case 'message.delta':
        return;
    }
  }

  private async fetchPage(siteId: string, generation: number, cursor: string | undefined): Promise<void> {
    const { phase, lead, q } = this.filters();
    const query: ConversationListQuery = { limit: PAGE_SIZE, cursor };
    if (phase) query.phase = phase;
    if (lead) query.lead = true;
    if (q.trim()) query.q = q.trim();
    this.loadingValue.set(true);
    try {
      const page = await this.api.list(siteId, query);
      if (generation !== this.generation || siteId !== this.siteId()) return; // a newer reload won
      const known = new Set(this.items().map((c) => c.id));
      this.itemsValue.update((items) => [...items, ...page.items.filter((c) => !known.has(c.id))]);
      this.nextCursorValue.set(page.nextCursor);
    } catch {
      if (generation === this.generation) this.errorValue.set(true);
    } finally {
      if (generation === this.generation) this.loadingValue.set(false);
    }
  }

  private addMessage(conversationId: string, message: Message): void {
    this.transcriptValue.update((open) => {
      if (!open || open.conversation.id !== conversationId) return open;
      if (open.messages.some((m) => m.id === message.id)) return open;
      const messages = [...open.messages, message].sort((a, b) => a.seq - b.seq);
      return { ...open, messages };
    });
    const listed = this.items().find((c) => c.id === conversationId);
    if (!listed) {
      void this.fetchAndInsert(conversationId);
    } else if (message.seq > listed.lastSeq) {
      this.upsert({
        ...listed,
        lastSeq: message.seq,
        messageCount: listed.messageCount + 1,
        lastMessageAt: message.createdAt,
        lastMessagePreview: message.body.slice(0, MESSAGE_PREVIEW_LENGTH),
        lastMessageAuthor: message.author,
        // The server moves the read position with an agent's reply (whoever answers has read it).
        teamSeenSeq: message.author === 'agent' ? message.seq : listed.teamSeenSeq,
      });
    }
    // After the list: an agent's own reply has moved the read position already.
    if (this.transcript()?.conversation.id === conversationId) void this.markOpenSeen();
  }

  /**
   * The open conversation is in front of the agent (its tab visible): read up to its last message.
   * Best effort: on failure it stays unread, and opening it again retries.
   */
  private async markOpenSeen(): Promise<void> {
    const open = this.transcript();
    const siteId = this.siteId();
    if (!open || !siteId || document.visibilityState === 'hidden') return;
    const seq = Math.max(open.conversation.lastSeq, open.messages.at(-1)?.seq ?? 0);
    const known = this.items().find((c) => c.id === open.conversation.id) ?? open.conversation;
    if (!isUnread({ lastSeq: seq, teamSeenSeq: Math.max(known.teamSeenSeq, open.conversation.teamSeenSeq) }))
      return;
    try {
      const { teamSeenSeq } = await this.api.seen(siteId, open.conversation.id, seq);
      if (siteId === this.siteId()) this.markRead(open.conversation.id, teamSeenSeq);
    } catch {
      // Still unread: nothing else to do.
    }
  }

  /** Moves the read position where the conversation is shown (list and transcript), never back. */
  private markRead(conversationId: string, teamSeenSeq: number): void {
    const read = (c: Conversation): Conversation =>
      c.teamSeenSeq >= teamSeenSeq ? c : { ...c, teamSeenSeq };
    this.itemsValue.update((items) => items.map((c) => (c.id === conversationId ? read(c) : c)));
    this.transcriptValue.update((open) =>
      open && open.conversation.id === conversationId
        ? { ...open, conversation: read(open.conversation) }
        : open,
    );
  }

  /** A conversation the list has not seen (new, or beyond the loaded pages). */
  private async fetchAndInsert(conversationId: string): Promise<void> {
    const siteId = this.siteId();
    if (!siteId || this.filters().q.trim()) return; // a text search cannot be judged here
    try {
      const { conversation } = await this.api.get(siteId, conversationId);
      if (siteId === this.siteId()) this.upsert(conversation);
    } catch {
      // Deleted meanwhile: nothing to show.
    }
  }

  private upsert(incoming: Conversation): void {
    // The read position never moves back: an event built before a `seen` may arrive after it.
    const shown = this.items().find((c) => c.id === incoming.id) ?? this.transcript()?.conversation;
    const conversation =
      shown?.id === incoming.id && shown.teamSeenSeq > incoming.teamSeenSeq
        ? { ...incoming, teamSeenSeq: shown.teamSeenSeq }
        : incoming;
    this.transcriptValue.update((open) =>
      open && open.conversation.id === conversation.id ? { ...open, conversation } : open,
    );
    const rest = this.items().filter((c) => c.id !== conversation.id);
    if (!this.matches(conversation)) {
      this.itemsValue.set(rest);
      return;
    }
    const wasListed = rest.length !== this.items().length;
    // Beyond the loaded pages it would appear out of order; it comes with a later page instead.
    const last = rest.at(-1);
    if (!wasListed && this.nextCursor() && last && newestFirst(conversation, last) > 0) return;
    this.itemsValue.set([...rest, conversation].sort(newestFirst));
  }

  private forget(conversationId: string): void {
    this.itemsValue.update((items) => items.filter((c) => c.id !== conversationId));
    const open = this.transcript();
    if (open && open.conversation.id === conversationId) {
      this.transcriptValue.set(null);
      this.transcriptMissingValue.set(true);
    }
  }

  private matches(conversation: Conversation): boolean {
    const { phase, lead } = this.filters();
    if (phase && conversation.phase !== phase) return false;
    if (lead && !conversation.email) return false;
    return true;
  }

  private showTyping(conversationId: string): void {
    this.typingInValue.set(conversationId);
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.typingInValue.set(null), TYPING_SHOWN_MS);
  }
}
