import { lookup as dnsLookup } from 'node:dns';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';

import { guardedFetch, providerFetch } from './guarded-fetch';

describe('the identity provider fetch', () => {
  let server: Server;
  let port: number;
  const received: { method?: string; type?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ method: request.method, type: request.headers['content-type'], body });
        if (request.url === '/empty') {
          response.writeHead(204).end();
        } else {
          response.writeHead(201, { 'content-type': 'application/json', 'x-answer': 'yes' });
          response.end(JSON.stringify({ issuer: 'http://idp.test' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (received.length = 0));

  it('refuses a host name that resolves to a private address before sending anything', async () => {
    await expect(guardedFetch(`http://localhost:${port}/.well-known/openid-configuration`)).rejects.toThrow(
      /private address/,
    );
    expect(received).toEqual([]);
  });

  it("hands back the provider's status, headers and body, and sends a form as openid-client does", async () => {
    // The same fetch with a lookup that lets loopback through: what a public provider gets.
    const unguarded = providerFetch(dnsLookup as LookupFunction);
    const answer = await unguarded(`http://localhost:${port}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'abc' }),
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-answer')).toBe('yes');
    expect(await answer.json()).toEqual({ issuer: 'http://idp.test' });
    expect(received).toEqual([
      {
        method: 'POST',
        type: 'application/x-www-form-urlencoded',
        body: 'grant_type=authorization_code&code=abc',
      },
    ]);
    expect((await unguarded(`http://localhost:${port}/empty`)).status).toBe(204);
  });
});
