import type {
  Message,
  MessageAuthor,
  WidgetConfig,
  WidgetConversation,
  WidgetUnreadResponse,
} from '@cloop/contracts';

export interface PendingMessage {
  /** The client id: the idempotency key the server stores as `clientMessageId`. */
  id: string;
  body: string;
  /** `queued`: waiting for the network; `failed`: refused, the visitor may retry. */
  state: 'sending' | 'queued' | 'failed';
}

/** A reply as the closed launcher shows it: a stored message, or the server's preview of one. */
export type Reply = Pick<Message, 'seq' | 'author' | 'authorName' | 'body'>;

/** What the visitor should be told about the connection, if anything. */
export type Problem = 'offline' | 'failed' | null;

/** A one-off notice after an action: the UI shows it until the next one. Each is the key of its text. */
export type Notice = 'erased' | 'nothingStored' | 'exported' | 'actionFailed' | null;

export interface ChatState {
  config: WidgetConfig;
  conversation: WidgetConversation | null;
  /** Stored messages, in conversation order then seq. */
  messages: Message[];
  pending: PendingMessage[];
  /** Answers being streamed, by `streamId`. */
  drafts: Map<string, string>;
  typing: MessageAuthor | null;
  /** The highest seq of the current conversation the visitor has seen (the server remembers it). */
  seenSeq: number;
  problem: Problem;
  notice: Notice;
  /** The visitor has a session (history loaded) in this page. */
  active: boolean;
  /** What the server said was unread when the page loaded, until a session loads (`GET /unread`). */
  peek: WidgetUnreadResponse | null;
}

/** The widget's state and its listeners; the only place that orders and de-duplicates messages. */
export class ChatStore {
  state: ChatState;
  readonly #listeners = new Set<() => void>();
  /** Each conversation seen gets a rank, so a new one (after a close) sorts after the old one. */
  readonly #ranks = new Map<string, number>();

  constructor(config: WidgetConfig) {
    this.state = pristine(config);
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  update(change: Partial<ChatState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.#listeners) listener();
  }

  reset(notice: Notice): void {
    this.#ranks.clear();
    this.update({ ...pristine(this.state.config), notice });
  }

  /** Adds or replaces stored messages; their pending copies and finished drafts disappear. */
  addMessages(incoming: Message[]): void {
    if (incoming.length === 0) return;
    const byId = new Map(this.state.messages.map((message) => [message.id, message]));
    const done = new Set<string>();
    let typing = this.state.typing;
    for (const message of incoming) {
      if (!this.#ranks.has(message.conversationId)) this.#ranks.set(message.conversationId, this.#ranks.size);
      byId.set(message.id, message);
      done.add(message.clientMessageId);
      if (message.author === typing) typing = null;
    }
    const rank = (message: Message) => this.#ranks.get(message.conversationId) ?? 0;
    const drafts = new Map([...this.state.drafts].filter(([streamId]) => !done.has(streamId)));
    this.update({
      messages: [...byId.values()].sort((a, b) => rank(a) - rank(b) || a.seq - b.seq),
      pending: this.state.pending.filter((message) => !done.has(message.id)),
      drafts,
      typing,
    });
  }

  /**
   * Where a resume or a poll continues in the current conversation: the last seq before the first
   * gap. Messages can arrive out of order (another replica's events reach this socket only after a
   * Redis outage ends), and continuing after the highest seq would skip the missing ones for good.
   */
  lastSeq(): number {
    const id = this.state.conversation?.id;
    const seqs = this.state.messages
      .filter((message) => message.conversationId === id)
      .map((message) => message.seq)
      .sort((a, b) => a - b);
    let last = seqs[0] ?? 0;
    for (const seq of seqs) {
      if (seq > last + 1) break;
      last = seq;
    }
    return last;
  }

  /**
   * How many replies of the current conversation the visitor has not seen yet, and the latest; with
   * no session in this page, what the server said when it loaded.
   */
  unread(): { n: number; last: Reply | null | undefined } {
    const { conversation, messages, seenSeq, active, peek } = this.state;
    if (!active && peek) return { n: peek.count, last: peek.latest };
    const replies = messages.filter(
      (m) => m.conversationId === conversation?.id && m.seq > seenSeq && m.author !== 'visitor',
    );
    return { n: replies.length, last: replies[replies.length - 1] };
  }

  appendDelta(streamId: string, delta: string): void {
    const drafts = new Map(this.state.drafts);
    drafts.set(streamId, (drafts.get(streamId) ?? '') + delta);
    this.update({ drafts, typing: null });
  }

  setPending(id: string, state: PendingMessage['state']): void {
    this.update({
      pending: this.state.pending.map((message) => (message.id === id ? { ...message, state } : message)),
    });
  }
}

function pristine(config: WidgetConfig): ChatState {
  return {
    config,
    conversation: null,
    messages: [],
    pending: [],
    drafts: new Map(),
    typing: null,
    seenSeq: 0,
    problem: null,
    notice: null,
    active: false,
    peek: null,
  };
}
