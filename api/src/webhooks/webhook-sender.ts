import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

import { isPrivateAddress } from '../common/private-address';
import { publicOnlyLookup } from '../knowledge/ingestion/fetcher';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Loopback and private addresses are refused unless allowed (tests, intranet receivers). */
  allowPrivateNetworks: boolean;
  signal: AbortSignal;
}

/** The receiver's status code, or why there is none. */
export type WebhookResponse = { statusCode: number; error: null } | { statusCode: null; error: string };

/** Bytes of a response read before it is dropped: receivers answer with a status, not content. */
const RESPONSE_READ_LIMIT = 64 * 1024;

/**
 * POSTs one delivery. Redirects are not followed (a 3xx is a failed attempt), the response body is
 * read only up to a small limit and never stored. The private-address guard is the crawler's: the
 * connection is checked when it is made, so DNS cannot swap a private address in.
 */
export function postWebhook(request: WebhookRequest): Promise<WebhookResponse> {
  const url = new URL(request.url);
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!request.allowPrivateNetworks && isIP(literal) !== 0 && isPrivateAddress(literal)) {
    return Promise.resolve({ statusCode: null, error: `${literal} is a private address` });
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (response: WebhookResponse): void => {
      if (settled) return;
      settled = true;
      resolve(response);
    };
    const outgoing = send(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body).toString() },
        timeout: request.timeoutMs,
        lookup: request.allowPrivateNetworks ? undefined : publicOnlyLookup(),
        signal: request.signal,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > RESPONSE_READ_LIMIT) response.destroy();
        });
        const done = (): void => settle({ statusCode: response.statusCode ?? 0, error: null });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    outgoing.on('timeout', () => {
      outgoing.destroy(new Error(`no response within ${request.timeoutMs} ms`));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      settle({ statusCode: null, error: describe(error) });
    });
    outgoing.end(request.body);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  if (error.name === 'AbortError') return 'interrupted by shutdown';
  const message =
    error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message;
  return message.slice(0, 300);
}
