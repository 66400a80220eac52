import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import {
  REALTIME_CLOSE_CODES,
  REALTIME_PATH,
  type ClientFrame,
  type RealtimeEvent,
  type ServerFrame,
} from '@cloop/contracts';

import { AuthStore } from '../auth/auth.store';

export type RealtimeStatus = 'offline' | 'connecting' | 'live';
type Listener = (event: RealtimeEvent) => void;

const MAX_BACKOFF_MS = 15_000;

/**
 * One WebSocket for the selected site. It authenticates with the access token, subscribes, and
 * hands every event to listeners. A 4401 close (token expired, session ended) refreshes through
 * the auth store and reconnects; other drops reconnect with backoff. `resubscribed` tells stores
 * to reload what they may have missed while offline.
 */
@Injectable({ providedIn: 'root' })
export class Realtime {
  private readonly auth = inject(AuthStore);
  private socket: WebSocket | null = null;
  private siteId: string | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly resubscribeListeners = new Set<() => void>();

  private readonly statusValue = signal<RealtimeStatus>('offline');
  readonly status = this.statusValue.asReadonly();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.disconnect());
  }

  /** Follows `siteId` (null: no site, no socket). */
  watch(siteId: string | null): void {
    if (siteId === this.siteId && this.socket) return;
    this.disconnect();
    this.siteId = siteId;
    if (siteId) this.open();
  }

  disconnect(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.siteId = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.statusValue.set('offline');
  }

  /** Registers a listener; returns its removal. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells the visitor that an agent is typing in the conversation. Only once subscribed (the server
   * checks the conversation against the subscribed sites) and never queued: a late typing hint is noise.
   */
  typing(conversationId: string): void {
    if (this.socket && this.status() === 'live') this.send(this.socket, { type: 'typing', conversationId });
  }

  onResubscribed(listener: () => void): () => void {
    this.resubscribeListeners.add(listener);
    return () => this.resubscribeListeners.delete(listener);
  }

  private open(): void {
    const token = this.auth.accessToken();
    const siteId = this.siteId;
    if (!token || !siteId) return;
    this.statusValue.set('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}${REALTIME_PATH}`);
    this.socket = socket;
    let everSubscribed = false;
    socket.onopen = () => this.send(socket, { type: 'auth', accessToken: token });
    socket.onmessage = (message: MessageEvent<string>) => {
      const frame = JSON.parse(message.data) as ServerFrame;
      switch (frame.type) {
        case 'ready':
          this.send(socket, { type: 'subscribe', siteId });
          return;
        case 'subscribed':
          everSubscribed = true;
          this.attempts = 0;
          this.statusValue.set('live');
          this.resubscribeListeners.forEach((listener) => listener());
          return;
        case 'message.created':
        case 'message.delta':
        case 'conversation.updated':
        case 'conversation.deleted':
        case 'conversation.seen':
        case 'typing':
          this.listeners.forEach((listener) => listener(frame));
          return;
        case 'resync':
          // Events were missed while the replicas lost touch: reload as after a reconnect.
          this.resubscribeListeners.forEach((listener) => listener());
          return;
        case 'pong':
        case 'error':
        case 'visitor.erased':
          return;
      }
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return; // replaced or disconnected on purpose
      this.socket = null;
      this.statusValue.set('offline');
      if (event.code === REALTIME_CLOSE_CODES.unauthenticated) {
        this.auth.refresh().then(
          () => this.reconnectSoon(0),
          () => this.disconnect(),
        );
        return;
      }
      this.reconnectSoon(everSubscribed ? 500 : undefined);
    };
  }

  private reconnectSoon(delayMs?: number): void {
    const delay = delayMs ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts);
    this.attempts += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.siteId && !this.socket) this.open();
    }, delay);
  }

  private send(socket: WebSocket, frame: ClientFrame): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }
}
