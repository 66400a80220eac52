import type { Message, ServerFrame, WidgetConfig, WidgetConversation } from '@cloop/contracts';

export const SITE_KEY = 'pk_abcdefghijklmnopqrstuvwx';
export const API = 'https://chat.example';

export const CONFIG: WidgetConfig = {
  widget: {
    color: '#123456',
    position: 'bottom-right',
    greeting: 'Hi! Ask me anything.',
    assistantName: 'Ada',
    locale: 'en',
    privacyUrl: 'https://shop.example/privacy',
    languages: {},
    sound: false,
  },
  leadCapture: false,
};

export interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

let ids = 0;
export const nextId = (): string => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

/**
 * The widget API as the widget sees it over HTTP, kept in memory: one conversation, messages
 * idempotent by client id as the real server stores them. `offline` makes every request fail the
 * way `fetch` does without a network; `loseResponses` stores the message but drops the answer.
 */
export class FakeServer {
  readonly calls: Call[] = [];
  readonly messages: Message[] = [];
  conversation: WidgetConversation = {
    id: 'c1',
    phase: 'exploring',
    status: 'open',
    email: null,
    lastSeq: 0,
  };
  /** The settings the session returns (as `GET /config` does). */
  config: WidgetConfig = CONFIG;
  /** What `PUT /seen` recorded, as the server keeps it: only forward. */
  seenSeq = 0;
  offline = false;
  loseResponses = 0;
  refuseNextSend: { status: number; code: string } | null = null;
  retryAfter: string | null = null;

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    await Promise.resolve();
    const path = url.slice(API.length + '/api/v1/widget'.length);
    const call: Call = {
      method: init.method ?? 'GET',
      path,
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body ? JSON.parse(init.body as string) : undefined,
    };
    this.calls.push(call);
    if (this.offline) throw new TypeError('Failed to fetch');
    const [status, body] = this.answer(call);
    if (status === 200 && this.loseResponses > 0 && call.path === '/messages' && call.method === 'POST') {
      this.loseResponses -= 1;
      throw new TypeError('Failed to fetch');
    }
    // jsdom has no fetch `Response`; the widget reads only these members.
    const text = JSON.stringify(body);
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (name: string) => (name === 'Retry-After' ? this.retryAfter : null) },
      json: () => Promise.resolve(JSON.parse(text) as unknown),
    } as unknown as Response;
  };

  /** Adds a message as the assistant or an agent would, returning it. */
  reply(author: Message['author'], body: string, extra: Partial<Message> = {}): Message {
    return this.store(author, body, nextId(), extra);
  }

  sent(method: string, path: string): Call[] {
    return this.calls.filter((call) => call.method === method && call.path.split('?')[0] === path);
  }

  private answer(call: Call): [number, unknown] {
    const route = `${call.method} ${call.path.split('?')[0]}`;
    switch (route) {
      case 'GET /config':
        return [200, CONFIG];
      case 'POST /session':
        return [
          200,
          {
            conversation: this.conversation,
            messages: this.messages,
            config: this.config,
            seenSeq: this.seenSeq,
          },
        ];
      case 'GET /unread': {
        // As the server counts: replies in the open conversation after the seen mark.
        const replies = this.messages.filter((m) => m.seq > this.seenSeq && m.author !== 'visitor');
        const last = replies[replies.length - 1];
        const latest = last && {
          conversationId: last.conversationId,
          seq: last.seq,
          author: last.author,
          authorName: last.authorName,
          body: last.body.slice(0, 200),
        };
        return [200, { count: replies.length, latest: latest ?? null }];
      }
      case 'PUT /seen':
        this.seenSeq = Math.max(this.seenSeq, (call.body as { seq: number }).seq);
        return [204, null];
      case 'GET /messages': {
        const after = Number(new URLSearchParams(call.path.split('?')[1]).get('after'));
        return [200, { items: this.messages.filter((message) => message.seq > after) }];
      }
      case 'POST /messages': {
        if (this.refuseNextSend) {
          const { status, code } = this.refuseNextSend;
          this.refuseNextSend = null;
          return [status, { statusCode: status, error: 'Refused', message: code, code }];
        }
        const { id, body } = call.body as { id: string; body: string };
        const known = this.messages.find((message) => message.clientMessageId === id);
        return [200, known ?? this.store('visitor', body, id)];
      }
      case 'PUT /contact':
        this.conversation = {
          ...this.conversation,
          phase: 'requesting_contact',
          email: (call.body as { email: string }).email,
        };
        return [200, this.conversation];
      default:
        return [404, { statusCode: 404, error: 'Not Found', message: 'no route', code: 'ROUTE_NOT_FOUND' }];
    }
  }

  private store(author: Message['author'], body: string, clientId: string, extra: Partial<Message> = {}) {
    const message: Message = {
      id: nextId(),
      conversationId: this.conversation.id,
      seq: this.messages.length + 1,
      clientMessageId: clientId,
      author,
      authorName: author === 'agent' ? 'Sam' : null,
      body,
      citations: [],
      confidence: null,
      createdAt: new Date(0).toISOString(),
      ...extra,
    };
    this.messages.push(message);
    this.conversation = { ...this.conversation, lastSeq: message.seq };
    return message;
  }
}

/** A browser WebSocket stand-in the test drives: what the widget sent, and frames pushed to it. */
export class FakeSocket {
  static all: FakeSocket[] = [];
  readonly sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }

  static latest(): FakeSocket {
    const socket = FakeSocket.all[FakeSocket.all.length - 1];
    if (!socket) throw new Error('no socket opened');
    return socket;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closed = true;
  }

  /** The server accepts the connection and the auth frame. */
  accept(): void {
    this.onopen?.();
    this.push({ type: 'ready' });
  }

  push(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006): void {
    this.closed = true;
    this.onclose?.({ code });
  }
}

/** In-memory Web Storage that records every write. */
export class RecordingStorage implements Storage {
  private readonly items = new Map<string, string>();
  readonly writes: string[] = [];
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.writes.push(`remove ${key}`);
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.writes.push(`set ${key}`);
    this.items.set(key, value);
  }
}

/** Lets pending promise callbacks (fake fetch answers) run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.resolve();
}
