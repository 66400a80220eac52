import type {
  ErasureResult,
  Message,
  PrivacyExport,
  SendMessageRequest,
  WidgetConfig,
  WidgetConversation,
  WidgetMessagesResponse,
  WidgetSessionResponse,
  WidgetUnreadResponse,
} from '@cloop/contracts';

import { WIDGET_API } from './contract-constants';

/** The server answered with an error body (`{ statusCode, code, message }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** From `Retry-After` on a 429, in ms. */
    readonly retryAfterMs: number | null,
  ) {
    super(`${status} ${code}`);
  }

  /** Worth sending again later: the server is busy or broken, not refusing this request. */
  get transient(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The request never got an answer (offline, DNS, CORS, server down). */
export class NetworkError extends Error {}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** The widget's REST calls: headers, JSON and error shapes in one place. */
export class ApiClient {
  readonly #apiOrigin: string;
  readonly #siteKey: string;
  readonly #fetcher: Fetch;

  constructor(apiOrigin: string, siteKey: string, fetcher: Fetch) {
    this.#apiOrigin = apiOrigin;
    this.#siteKey = siteKey;
    this.#fetcher = fetcher;
  }

  config(): Promise<WidgetConfig> {
    return this.#call('GET', '/config', null);
  }

  session(visitorId: string, entryUrl: string, locale: string): Promise<WidgetSessionResponse> {
    return this.#call('POST', '/session', visitorId, { entryUrl, locale });
  }

  /** What a returning visitor has not read, without opening a session (the server creates nothing). */
  unread(visitorId: string): Promise<WidgetUnreadResponse> {
    return this.#call('GET', '/unread', visitorId);
  }

  async messagesAfter(visitorId: string, afterSeq: number): Promise<Message[]> {
    const page = await this.#call<WidgetMessagesResponse>('GET', `/messages?after=${afterSeq}`, visitorId);
    return page.items;
  }

  send(visitorId: string, message: SendMessageRequest): Promise<Message> {
    return this.#call('POST', '/messages', visitorId, message);
  }

  /** How far the visitor has read: the server keeps it, so unread survives a page load. */
  seen(visitorId: string, conversationId: string, seq: number): Promise<void> {
    return this.#call('PUT', '/seen', visitorId, { conversationId, seq });
  }

  leaveContact(visitorId: string, email: string): Promise<WidgetConversation> {
    return this.#call('PUT', '/contact', visitorId, { email });
  }

  exportData(visitorId: string): Promise<PrivacyExport> {
    return this.#call('GET', '/privacy/export', visitorId);
  }

  erase(visitorId: string): Promise<ErasureResult> {
    return this.#call('DELETE', '/privacy', visitorId);
  }

  async #call<T>(method: string, path: string, visitorId: string | null, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'X-Cloop-Site-Key': this.#siteKey };
    if (visitorId) headers['X-Cloop-Visitor'] = visitorId;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetcher(`${this.#apiOrigin}${WIDGET_API}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // No cookies either way, and the host page's URL is sent only as the session's entryUrl.
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
      });
    } catch {
      throw new NetworkError();
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const code = (json as { code?: unknown } | null)?.code;
      const retryAfter = Number(response.headers.get('Retry-After'));
      throw new ApiError(
        response.status,
        typeof code === 'string' ? code : 'UNKNOWN',
        retryAfter > 0 ? retryAfter * 1000 : null,
      );
    }
    return json as T;
  }
}
