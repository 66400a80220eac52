import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

import { isPrivateAddress } from '../../common/private-address';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  /** Loopback and private addresses are refused unless allowed (tests, intranet installs). */
  allowPrivateNetworks: boolean;
  /** Name resolution (the system's by default); tests stub it. */
  resolve?: Resolver;
}

export interface FetchedResource {
  /** After redirects. */
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
}

export class FetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchError';
  }
}

const MAX_REDIRECTS = 5;

/**
 * GET with a time limit, a size limit and redirects followed by hand. The address check happens
 * when the socket connects (a lookup hook), so a name that resolves differently on a second
 * lookup cannot slip a private address past it.
 */
export async function fetchResource(
  url: string,
  options: FetchOptions,
  allowed: (url: URL) => boolean,
): Promise<FetchedResource> {
  // One deadline for the whole page, redirects and body included: a server that trickles a byte
  // at a time never trips the socket's idle timeout, but cannot outlast this.
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    if (!allowed(current))
      throw new FetchError(`redirected outside the site's allowed origins (${current.origin})`);
    const response = await get(current, options, deadline);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      current = new URL(location, current);
      continue;
    }
    const body = await readLimited(response, options, deadline);
    return {
      url: current.toString(),
      status: response.statusCode ?? 0,
      contentType: String(response.headers['content-type'] ?? ''),
      body,
    };
  }
  throw new FetchError('too many redirects');
}

/** A refusal names the setting that lifts it: the operator reads it on the source's page. */
const ALLOW_HINT = ': set CRAWL_ALLOW_PRIVATE_NETWORKS=true to allow it';

function get(url: URL, options: FetchOptions, deadline: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  // An address written in the URL is connected to without a lookup: check it here.
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!options.allowPrivateNetworks && isIP(literal) !== 0 && isPrivateAddress(literal)) {
    return Promise.reject(new FetchError(`${literal} is a private address${ALLOW_HINT}`));
  }
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'GET',
        headers: {
          'user-agent': options.userAgent,
          accept: 'text/html, application/xml, text/plain;q=0.8, */*;q=0.5',
        },
        timeout: options.timeoutMs,
        lookup: options.allowPrivateNetworks ? undefined : publicOnlyLookup(options.resolve),
      },
      resolve,
    );
    const timedOut = (): void => {
      outgoing.destroy(new FetchError(tooSlow(options)));
    };
    if (deadline.aborted) timedOut();
    deadline.addEventListener('abort', timedOut, { once: true });
    outgoing.on('response', () => deadline.removeEventListener('abort', timedOut));
    outgoing.on('timeout', timedOut);
    outgoing.on('error', (error) =>
      reject(error instanceof FetchError ? error : new FetchError(error.message)),
    );
    outgoing.end();
  });
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** `dns.lookup` with `all: true`, the only way the guard calls it. */
export type Resolver = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A socket `lookup` hook that refuses names resolving to a private address, so the check happens
 * when the connection is made; the webhook sender uses it too.
 */
export function publicOnlyLookup(resolve: Resolver = dnsLookup) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((address) => isPrivateAddress(address.address));
      if (refused) {
        return callback(
          new FetchError(`${hostname} resolves to a private address (${refused.address})${ALLOW_HINT}`),
          [],
        );
      }
      const all = (options as { all?: boolean }).all === true;
      const first = addresses[0];
      if (all) return callback(null, addresses);
      return callback(null, first?.address ?? '', first?.family);
    });
  };
}

function readLimited(
  response: IncomingMessage,
  options: FetchOptions,
  deadline: AbortSignal,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timedOut = (): void => {
      response.destroy(new FetchError(tooSlow(options)));
    };
    if (deadline.aborted) timedOut();
    deadline.addEventListener('abort', timedOut, { once: true });
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) {
        response.destroy(new FetchError(`larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('close', () => deadline.removeEventListener('abort', timedOut));
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', (error) =>
      reject(error instanceof FetchError ? error : new FetchError(error.message)),
    );
  });
}

function tooSlow(options: FetchOptions): string {
  return `no complete response within ${options.timeoutMs} ms`;
}
