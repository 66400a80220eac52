import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

import { publicOnlyLookup } from '../knowledge/ingestion/fetcher';

/** Bytes of a provider answer read at most: discovery documents, key sets and tokens are small. */
const ANSWER_LIMIT = 1024 * 1024;

/** What openid-client hands its `customFetch`: a subset of `fetch`'s init. */
export interface ProviderRequestInit {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: unknown;
  signal?: AbortSignal | null;
}

/**
 * `fetch` for the identity provider that refuses a host name resolving to a private address, the
 * check made when the connection is made (the crawler's and webhooks' guard), so an owner cannot
 * point Cloop's server at its own network through an issuer's DNS name. Redirects are not followed
 * (openid-client asks for none), and an answer longer than `ANSWER_LIMIT` is cut off as a failure.
 */
export const guardedFetch = providerFetch(publicOnlyLookup());

/** `guardedFetch` with the socket `lookup` hook given (tests pass one that lets loopback through). */
export function providerFetch(lookup: LookupFunction) {
  return (url: string, init: ProviderRequestInit = {}): Promise<Response> => fetchThrough(lookup, url, init);
}

function fetchThrough(lookup: LookupFunction, url: string, init: ProviderRequestInit): Promise<Response> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = bodyOf(init.body);
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init.headers).entries()),
        lookup,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (answer) => {
        const chunks: Buffer[] = [];
        let read = 0;
        answer.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > ANSWER_LIMIT) answer.destroy(new Error(`${target.host} answered more than 1 MB`));
          else chunks.push(chunk);
        });
        answer.on('error', reject);
        answer.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(answer.headers)) {
            for (const one of Array.isArray(value) ? value : [value])
              if (one !== undefined) headers.append(name, one);
          }
          const status = answer.statusCode ?? 502;
          // A Response may not carry a body with these statuses.
          const empty = status === 204 || status === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The request body as bytes: openid-client sends forms (`URLSearchParams`), strings or bytes. */
function bodyOf(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return Buffer.from(body as Uint8Array);
  throw new TypeError('unsupported request body for the identity provider');
}
