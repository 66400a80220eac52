import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';

import { FetchError, fetchResource, publicOnlyLookup, type Resolver } from './fetcher';

/** A resolver that answers from a table, so no test depends on (or reaches) real DNS. */
function stubResolver(table: Record<string, LookupAddress[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve: Resolver = (hostname, _options, callback) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      return callback(error, []);
    }
    callback(null, addresses);
  };
  return Object.assign(resolve, { asked });
}

function lookupWith(resolve: Resolver, hostname: string, all: boolean) {
  return new Promise<{ error: Error | null; address: unknown; family?: number }>((done) => {
    publicOnlyLookup(resolve)(hostname, { all }, (error, address, family) =>
      done({ error, address, family }),
    );
  });
}

describe('publicOnlyLookup', () => {
  const resolve = stubResolver({
    'public-v4.test': [{ address: '8.8.8.8', family: 4 }],
    'public-v6.test': [{ address: '2606:4700:4700::1111', family: 6 }],
    'loopback.test': [{ address: '127.0.0.1', family: 4 }],
    'metadata.test': [{ address: '169.254.169.254', family: 4 }],
    'mapped.test': [{ address: '::ffff:10.0.0.1', family: 6 }],
    'nat64.test': [{ address: '64:ff9b::a00:1', family: 6 }],
    'mixed.test': [
      { address: '8.8.8.8', family: 4 },
      { address: '10.0.0.1', family: 4 },
    ],
  });

  it('hands a public IPv4 address on to the socket, which is where the test stops', async () => {
    await expect(lookupWith(resolve, 'public-v4.test', false)).resolves.toEqual({
      error: null,
      address: '8.8.8.8',
      family: 4,
    });
  });

  it('hands every public address on when the socket asks for all of them', async () => {
    await expect(lookupWith(resolve, 'public-v6.test', true)).resolves.toEqual({
      error: null,
      address: [{ address: '2606:4700:4700::1111', family: 6 }],
      family: undefined,
    });
  });

  it.each(['loopback.test', 'metadata.test', 'mapped.test', 'nat64.test', 'mixed.test'])(
    'refuses %s, which resolves to a private address',
    async (hostname) => {
      const result = await lookupWith(resolve, hostname, false);
      expect(result.error).toBeInstanceOf(FetchError);
      expect(result.error?.message).toMatch(new RegExp(`^${hostname} resolves to a private address`));
    },
  );

  it('passes a resolution error through', async () => {
    const result = await lookupWith(resolve, 'nowhere.test', false);
    expect((result.error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});

describe('fetchResource and private addresses', () => {
  let server: Server;
  let port: number;
  let requests: number;

  beforeAll(async () => {
    requests = 0;
    server = createServer((_request, response) => {
      requests += 1;
      response.end('intranet');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  const options = { timeoutMs: 5_000, maxBytes: 1024, userAgent: 'test', allowPrivateNetworks: false };

  it('refuses at connect time a name that resolves to loopback, and nothing reaches the server', async () => {
    const resolve = stubResolver({ 'intranet.test': [{ address: '127.0.0.1', family: 4 }] });
    await expect(
      fetchResource(`http://intranet.test:${port}/`, { ...options, resolve }, () => true),
    ).rejects.toThrow(
      new FetchError(
        'intranet.test resolves to a private address (127.0.0.1): set CRAWL_ALLOW_PRIVATE_NETWORKS=true to allow it',
      ),
    );
    expect(resolve.asked).toEqual(['intranet.test']);
    expect(requests).toBe(0);
  });

  it('refuses a literal private address without resolving anything', async () => {
    const resolve = stubResolver({});
    await expect(
      fetchResource(`http://[::ffff:127.0.0.1]:${port}/`, { ...options, resolve }, () => true),
    ).rejects.toThrow(
      new FetchError('::ffff:7f00:1 is a private address: set CRAWL_ALLOW_PRIVATE_NETWORKS=true to allow it'),
    );
    expect(resolve.asked).toEqual([]);
    expect(requests).toBe(0);
  });

  it('connects when private networks are allowed', async () => {
    const fetched = await fetchResource(
      `http://127.0.0.1:${port}/`,
      { ...options, allowPrivateNetworks: true },
      () => true,
    );
    expect(fetched.body.toString()).toBe('intranet');
  });
});
