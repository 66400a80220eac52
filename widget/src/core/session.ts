import type { PrivacyExport, VisitorServerFrame, WidgetSessionResponse } from '@cloop/contracts';

import { type ApiClient, ApiError, NetworkError } from './api-client';
import { Outbox } from './outbox';
import { RealtimeConnection, type SocketFactory } from './realtime';
import type { ChatStore } from './store';
import type { VisitorStorage } from './storage';

export interface SessionOptions {
  apiOrigin: string;
  siteKey: string;
  api: ApiClient;
  storage: VisitorStorage;
  store: ChatStore;
  createSocket: SocketFactory;
  newId: () => string;
  /** The page the chat starts on and the browser's language, sent with the session. */
  entryUrl: string;
  locale: string;
}

/** While the socket is down, the conversation is polled this often. */
export const POLL_INTERVAL_MS = 4000;
const TYPING_SHOWN_MS = 6000;
/** How long a first message waits for the socket, so that the events it causes are not missed. */
export const SOCKET_WAIT_MS = 3000;

/**
 * The headless widget: a visitor's session, its realtime socket with polling as the fallback, the
 * outbox, contact and privacy actions. Knows nothing of the DOM; the UI reads the store.
 */
export class ChatSession {
  readonly realtime: RealtimeConnection;
  readonly outbox: Outbox;
  #starting: Promise<void> | null = null;
  #pollTimer: ReturnType<typeof setInterval> | undefined;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves once the socket is up or known to be down (or after SOCKET_WAIT_MS). */
  #socketSettled: Promise<void> = Promise.resolve();
  #settleSocket: () => void = () => undefined;
  #connections = 0;

  readonly #options: SessionOptions;

  constructor(options: SessionOptions) {
    this.#options = options;
    const { store, storage } = options;
    this.realtime = new RealtimeConnection(
      options.apiOrigin,
      () => ({ type: 'auth', siteKey: options.siteKey, visitorId: storage.visitorId() ?? '' }),
      {
        onReady: () => this.#onSocketReady(),
        onFrame: (frame) => this.#onFrame(frame),
        onDown: () => {
          this.#settleSocket();
          this.#startPolling();
        },
        onErased: () => this.#forget(),
      },
      options.createSocket,
    );
    this.outbox = new Outbox(
      store,
      async (message) => {
        await this.start(true);
        await this.#socketSettled;
        return options.api.send(this.#visitorId(), { id: message.id, body: message.body });
      },
      (offline) => this.#setOffline(offline),
    );
  }

  /**
   * Loads the visitor's conversation and opens the socket. `interacting` creates the visitor UUID
   * if there is none; otherwise a visitor who never interacted stays unknown and nothing is sent.
   */
  start(interacting: boolean): Promise<void> {
    if (this.#options.store.state.conversation) return Promise.resolve();
    if (!interacting && !this.#options.storage.visitorId()) return Promise.resolve();
    this.#starting ??= this.#open().finally(() => (this.#starting = null));
    return this.#starting;
  }

  /**
   * A returning visitor on a page where the chat is not open in this tab: ask what is unread, for
   * the closed launcher, without opening a session (which would create a conversation).
   */
  async peek(): Promise<void> {
    const { api, storage, store } = this.#options;
    const visitorId = storage.visitorId();
    const peek = visitorId && (await api.unread(visitorId));
    // A session that loaded meanwhile knows better.
    if (peek && !store.state.active) store.update({ peek });
  }

  send(body: string): Promise<void> {
    return this.outbox.enqueue(this.#options.newId(), body);
  }

  /** The visitor is typing: tell the team (the server throttles, and so do we via the socket's budget). */
  typing(): void {
    const conversation = this.#options.store.state.conversation;
    if (conversation) this.realtime.send({ type: 'typing', conversationId: conversation.id });
  }

  /** The visitor sees the conversation (the panel is open): nothing is unread any more. */
  markSeen(): void {
    const { store, api } = this.#options;
    const conversation = store.state.conversation;
    const seq = store.lastSeq();
    if (!conversation || seq <= store.state.seenSeq) return;
    store.update({ seenSeq: seq });
    void api.seen(this.#visitorId(), conversation.id, seq).catch(() => undefined);
  }

  /** Retry after a failure: reload the session if it never loaded, resend what waits, reconnect. */
  retry(): Promise<void> {
    this.realtime.reconnectNow();
    return this.start(false).then(() => this.outbox.flush());
  }

  /** The network is back (the browser's `online` event). */
  online(): void {
    this.realtime.reconnectNow();
    void this.outbox.flush();
  }

  async leaveContact(email: string): Promise<void> {
    await this.start(true);
    const conversation = await this.#options.api.leaveContact(this.#visitorId(), email);
    this.#options.store.update({ conversation });
  }

  /** The visitor's own data, or `null` when nothing was ever stored about them. */
  async exportData(): Promise<PrivacyExport | null> {
    const visitorId = this.#options.storage.visitorId();
    return visitorId ? this.#options.api.exportData(visitorId) : null;
  }

  /** Erases the visitor's data on the server, then forgets them here: the next visit is a new visitor. */
  async erase(): Promise<boolean> {
    const visitorId = this.#options.storage.visitorId();
    if (visitorId) await this.#options.api.erase(visitorId);
    this.#forget();
    return visitorId !== null;
  }

  stop(): void {
    this.realtime.stop();
    this.outbox.clear();
    this.#stopPolling();
    clearTimeout(this.#typingTimer);
  }

  async #open(): Promise<void> {
    const { api, storage, store } = this.#options;
    const visitorId = storage.ensureVisitorId();
    let session: WidgetSessionResponse;
    try {
      session = await api.session(visitorId, this.#options.entryUrl, this.#options.locale);
    } catch (error) {
      store.update({ problem: error instanceof NetworkError ? 'offline' : 'failed' });
      throw error;
    }
    store.update({
      conversation: session.conversation,
      config: session.config,
      seenSeq: session.seenSeq,
      active: true,
      problem: null,
      peek: null,
    });
    store.addMessages(session.messages);
    // Still connected (the team deleted the old conversation): nothing to wait for.
    if (this.realtime.ready) return;
    this.#connections = 0;
    this.#socketSettled = new Promise((resolve) => {
      this.#settleSocket = resolve;
      setTimeout(resolve, SOCKET_WAIT_MS);
    });
    this.realtime.start();
  }

  /** After a reconnect: the conversation may have changed (phase, email) while no event could arrive. */
  async #refresh(): Promise<void> {
    const { api, store } = this.#options;
    const session = await api.session(this.#visitorId(), this.#options.entryUrl, this.#options.locale);
    store.update({
      conversation: session.conversation,
      config: session.config,
      // Marked seen here meanwhile, unless the conversation changed.
      seenSeq:
        session.conversation.id === store.state.conversation?.id
          ? Math.max(session.seenSeq, store.state.seenSeq)
          : session.seenSeq,
    });
    store.addMessages(session.messages);
  }

  #visitorId(): string {
    return this.#options.storage.visitorId() ?? '';
  }

  #onSocketReady(): void {
    this.#settleSocket();
    this.#stopPolling();
    this.#setOffline(false);
    if (this.#connections++ > 0) void this.#refresh().catch(() => undefined);
    this.#resume();
    void this.outbox.flush();
  }

  /** Asks for the messages after the last one seen (after a reconnect, or when the server says some were missed). */
  #resume(): void {
    const conversation = this.#options.store.state.conversation;
    if (conversation) {
      this.realtime.send({
        type: 'resume',
        conversationId: conversation.id,
        afterSeq: this.#options.store.lastSeq(),
      });
    }
  }

  #onFrame(frame: VisitorServerFrame): void {
    const { store } = this.#options;
    const current = store.state.conversation;
    switch (frame.type) {
      case 'message.created':
        this.#follow(frame.conversationId);
        store.addMessages([frame.message]);
        return;
      case 'message.delta':
        store.appendDelta(frame.streamId, frame.delta);
        return;
      case 'conversation.updated':
        // Visitors receive the widget's view of their conversation (the server trims it).
        if (!current || current.id === frame.conversationId || current.status === 'closed') {
          const { id, phase, status, email, lastSeq } = frame.conversation;
          store.update({ conversation: { id, phase, status, email, lastSeq } });
        }
        return;
      case 'conversation.deleted':
        if (current?.id === frame.conversationId) {
          store.update({
            conversation: null,
            active: false,
            messages: store.state.messages.filter((m) => m.conversationId !== frame.conversationId),
          });
        }
        return;
      case 'typing':
        store.update({ typing: frame.author });
        clearTimeout(this.#typingTimer);
        this.#typingTimer = setTimeout(() => store.update({ typing: null }), TYPING_SHOWN_MS);
        return;
      case 'visitor.erased':
        this.#forget();
        return;
      case 'resync':
        void this.#refresh().catch(() => undefined);
        this.#resume();
        return;
      case 'error':
      case 'pong':
      case 'ready':
      case 'subscribed':
        return;
    }
  }

  /** A message of another conversation (the old one was closed and a new one opened) moves us to it. */
  #follow(conversationId: string): void {
    const { store } = this.#options;
    const current = store.state.conversation;
    if (current && current.id !== conversationId) {
      store.update({
        conversation: { id: conversationId, phase: 'exploring', status: 'open', email: null, lastSeq: 0 },
        seenSeq: 0,
      });
    }
  }

  #startPolling(): void {
    if (this.#pollTimer !== undefined || !this.#options.store.state.active) return;
    this.#pollTimer = setInterval(() => void this.#poll(), POLL_INTERVAL_MS);
  }

  #stopPolling(): void {
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  async #poll(): Promise<void> {
    const { api, store } = this.#options;
    try {
      const items = await api.messagesAfter(this.#visitorId(), store.lastSeq());
      const first = items[0];
      if (first) this.#follow(first.conversationId);
      store.addMessages(items);
      this.#setOffline(false);
    } catch (error) {
      if (error instanceof NetworkError || (error instanceof ApiError && error.transient))
        this.#setOffline(true);
    }
  }

  #setOffline(offline: boolean): void {
    const { store } = this.#options;
    if (offline) store.update({ problem: 'offline' });
    else if (store.state.problem !== null) store.update({ problem: null });
  }

  /** The visitor's data is gone: drop the UUID and every trace in memory; never reconnect as them. */
  #forget(): void {
    this.stop();
    this.#options.storage.forgetVisitor();
    this.#options.store.reset('erased');
  }
}
