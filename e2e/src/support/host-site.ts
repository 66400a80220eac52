import { createServer, type Server } from 'node:http';

import { freePort } from './cloop-process';

export interface HostSite {
  /** `http://127.0.0.1:<port>`: another port, so another origin than the API's. */
  origin: string;
  /** Serves `html` at `path` from now on. */
  page(path: string, html: string): string;
  stop(): Promise<void>;
}

/**
 * A customer's website: plain pages on their own origin that embed the widget with the one-line
 * snippet. It sets no cookies either, so any cookie seen in a test came from Cloop.
 */
export async function startHostSite(): Promise<HostSite> {
  const port = await freePort();
  const pages = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const html = pages.get((request.url ?? '/').split('?')[0] ?? '/');
    response.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html ?? 'not found');
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    page: (path, html) => {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    stop: () => new Promise((done) => server.close(() => done())),
  };
}

/** A page of the customer's site with the embed line of DESIGN §11. */
export function embedPage(apiUrl: string, siteKey: string, options: { css?: string; body?: string } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>${options.css ?? 'body{font-family:serif}'}</style></head>
<body>${options.body ?? '<h1>Welcome to the shop</h1><p>Things for sale.</p>'}
<script src="${apiUrl}/widget.js" data-site-key="${siteKey}" async></script>
</body></html>`;
}
