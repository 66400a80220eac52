import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { crawl, type CrawledPage } from '../src/knowledge/ingestion/crawler';
import { type FetchOptions, fetchResource } from '../src/knowledge/ingestion/fetcher';
import { type FixtureSite, html, startFixtureSite } from './support/fixture-site';

const TIMEOUT_MS = 400;
const FETCH: FetchOptions = {
  timeoutMs: TIMEOUT_MS,
  maxBytes: 1024 * 1024,
  userAgent: 'CloopBot/test',
  allowPrivateNetworks: true,
};

/** A server that sends headers at once, then one byte every 100 ms, forever. */
async function startTrickler(): Promise<{ origin: string; close(): Promise<void> }> {
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    const timer = setInterval(() => response.write('.'), 100);
    timers.add(timer);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('crawler time limits', () => {
  let site: FixtureSite;

  beforeAll(async () => {
    site = await startFixtureSite({
      '/robots.txt': { body: 'User-agent: *\nAllow: /\n', contentType: 'text/plain' },
      '/': {
        body: html('Home', '<a href="/slow">Slow</a> <a href="/fast">Fast</a><p>Welcome to the shop.</p>'),
      },
      '/slow': { body: html('Slow', '<p>This page answers too late.</p>'), delayMs: TIMEOUT_MS * 5 },
      '/fast': { body: html('Fast', '<p>This page answers at once.</p>') },
    });
  });
  afterAll(() => site.close());

  it('marks a page that does not answer in time as failed, and crawls the others', async () => {
    const pages: CrawledPage[] = [];
    await crawl(
      {
        startUrl: `${site.origin}/`,
        allowedOrigins: [site.origin],
        pageLimit: 10,
        depthLimit: 2,
        concurrency: 2,
        fetch: FETCH,
      },
      (page) => {
        pages.push(page);
        return Promise.resolve();
      },
    );
    const byPath = new Map(pages.map((page) => [new URL(page.url).pathname, page]));
    expect(byPath.get('/')?.outcome).toBe('page');
    expect(byPath.get('/fast')?.outcome).toBe('page');
    expect(byPath.get('/slow')).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining(`within ${TIMEOUT_MS} ms`),
    });
  });

  it('gives up on a server that trickles its body a byte at a time', async () => {
    const trickler = await startTrickler();
    try {
      // The socket never idles long enough for its own timeout: only the page deadline ends this.
      await expect(fetchResource(`${trickler.origin}/`, FETCH, () => true)).rejects.toThrow(
        `no complete response within ${TIMEOUT_MS} ms`,
      );
    } finally {
      await trickler.close();
    }
  });
});
