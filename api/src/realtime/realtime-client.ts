import type { ServerFrame } from '@cloop/contracts';
import { WebSocket } from 'ws';

/** Who a socket speaks for, once its first frame authenticated it. */
export type Identity =
  /** `sites`: each subscribed site and its organization (a membership change names the organization). */
  | { kind: 'user'; accessToken: string; userId: string; sites: Map<string, string> }
  | { kind: 'visitor'; siteId: string; visitorId: string };

export type UserIdentity = Extract<Identity, { kind: 'user' }>;

/** One open socket and what the gateway keeps about it. */
export interface RealtimeClient {
  socket: WebSocket;
  origin: string | null;
  identity: Identity | null;
  alive: boolean;
  /** Frames are handled one after another, in the order sent: `subscribe` right after `auth` works. */
  queue: Promise<void>;
  pending: number;
  budget: { windowStart: number; frames: number };
  lastTyping: Map<string, number>;
}

/** Per socket: frames waiting to be handled, frames per window, and unread output before it is closed. */
const MAX_PENDING_FRAMES = 32;
const FRAME_BUDGET = { frames: 100, windowMs: 10_000 };
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function newClient(socket: WebSocket, origin: string | null): RealtimeClient {
  return {
    socket,
    origin,
    identity: null,
    alive: true,
    queue: Promise.resolve(),
    pending: 0,
    budget: { windowStart: Date.now(), frames: 0 },
    lastTyping: new Map(),
  };
}

/** Runs `work` after the client's earlier frames and checks: one thing at a time per socket. */
export function enqueue(client: RealtimeClient, work: () => Promise<void>): void {
  client.queue = client.queue.then(work);
}

export function send(client: RealtimeClient, frame: ServerFrame): void {
  if (client.socket.readyState !== WebSocket.OPEN) return;
  if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    // A client that does not read would otherwise grow the server's memory without bound.
    client.socket.close(1008, 'not reading');
    return;
  }
  client.socket.send(JSON.stringify(frame));
}

export function sendError(client: RealtimeClient, code: string, message: string): void {
  send(client, { type: 'error', code, message });
}

/** Counts a frame; `false` once a socket sends faster than the budget or queues too much. */
export function withinBudget(client: RealtimeClient): boolean {
  const now = Date.now();
  if (now - client.budget.windowStart >= FRAME_BUDGET.windowMs)
    client.budget = { windowStart: now, frames: 0 };
  client.budget.frames += 1;
  return client.budget.frames <= FRAME_BUDGET.frames && client.pending < MAX_PENDING_FRAMES;
}
