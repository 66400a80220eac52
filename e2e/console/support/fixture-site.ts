import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixturePage {
  body: string;
  contentType?: string;
  /** Answers this late: a slow page keeps a crawl running long enough to watch its progress. */
  delayMs?: number;
}

export interface FixtureSite {
  /** `http://127.0.0.1:<port>`: another origin than the app's, as a customer's website is. */
  origin: string;
  /** Paths requested so far, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/** A small HTML page with a title and a body. */
export const htmlPage = (title: string, body: string): FixturePage => ({
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`,
});

/**
 * A customer's website for the crawler, served on loopback (the app must run with
 * CRAWL_ALLOW_PRIVATE_NETWORKS=true to read it). `{ORIGIN}` in a body becomes the site's origin.
 */
export async function startFixtureSite(pages: Record<string, FixturePage>): Promise<FixtureSite> {
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    const page = pages[path];
    setTimeout(() => {
      response.writeHead(page ? 200 : 404, {
        'Content-Type': page?.contentType ?? 'text/html; charset=utf-8',
      });
      response.end(page ? page.body.replaceAll('{ORIGIN}', origin) : 'not found');
    }, page?.delayMs ?? 0);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    stop: () => new Promise((done) => server.close(() => done())),
  };
}
