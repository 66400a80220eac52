import type { ClientFrame, VisitorServerFrame } from '@cloop/contracts';

import { CLOSE_ERASED, REALTIME_PATH } from './contract-constants';

export interface RealtimeHandlers {
  /** Authenticated: the caller resumes from its last seq. */
  onReady(): void;
  onFrame(frame: VisitorServerFrame): void;
  /** The socket could not connect or dropped; it retries by itself with a growing delay. */
  onDown(): void;
  /** The visitor's data was erased: the socket stays closed for good. */
  onErased(): void;
}

/** The constructor of a browser `WebSocket`; tests pass a fake. */
export type SocketFactory = (url: string) => WebSocket;

const MAX_DELAY_MS = 30_000;

/**
 * One WebSocket to `/api/v1/realtime` that authenticates as the visitor and reconnects with
 * exponential backoff and jitter (so a restarting server is not hit by every widget at once).
 */
export class RealtimeConnection {
  #socket: WebSocket | null = null;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  ready = false;

  readonly #apiOrigin: string;
  readonly #auth: () => Extract<ClientFrame, { type: 'auth'; siteKey: string }>;
  readonly #handlers: RealtimeHandlers;
  readonly #createSocket: SocketFactory;

  constructor(
    apiOrigin: string,
    auth: () => Extract<ClientFrame, { type: 'auth'; siteKey: string }>,
    handlers: RealtimeHandlers,
    createSocket: SocketFactory,
  ) {
    this.#apiOrigin = apiOrigin;
    this.#auth = auth;
    this.#handlers = handlers;
    this.#createSocket = createSocket;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.ready = false;
    clearTimeout(this.#timer);
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000);
    }
  }

  /** Skips the backoff wait, e.g. when the browser reports it is online again. */
  reconnectNow(): void {
    if (this.#stopped || this.#socket) return;
    clearTimeout(this.#timer);
    this.#failures = 0;
    this.#connect();
  }

  send(frame: ClientFrame): boolean {
    if (!this.ready || !this.#socket) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  #connect(): void {
    let socket: WebSocket;
    try {
      socket = this.#createSocket(this.#apiOrigin.replace(/^http/, 'ws') + REALTIME_PATH);
    } catch {
      this.#retryLater();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(this.#auth()));
    socket.onmessage = (event: MessageEvent) => this.#receive(event.data);
    socket.onclose = (event: CloseEvent) => {
      this.#socket = null;
      this.ready = false;
      if (event.code === CLOSE_ERASED) {
        this.#stopped = true;
        this.#handlers.onErased();
        return;
      }
      this.#handlers.onDown();
      this.#retryLater();
    };
  }

  #receive(data: unknown): void {
    let frame: VisitorServerFrame;
    try {
      frame = JSON.parse(String(data)) as VisitorServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'ready') {
      this.ready = true;
      this.#failures = 0;
      this.#handlers.onReady();
      return;
    }
    this.#handlers.onFrame(frame);
  }

  #retryLater(): void {
    if (this.#stopped) return;
    this.#failures += 1;
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** (this.#failures - 1));
    this.#timer = setTimeout(() => this.#connect(), base / 2 + (Math.random() * base) / 2);
  }
}
