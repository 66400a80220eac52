import robotsParser from 'robots-parser';

import { FetchError, type FetchOptions, fetchResource } from './fetcher';
import { type HtmlDocument, htmlDocument } from './html';

export const CRAWLER_NAME = 'CloopBot';

export interface CrawlSettings {
  startUrl: string;
  /** Exact origins (scheme://host:port) the crawl may visit: the site's allowed origins. */
  allowedOrigins: string[];
  pageLimit: number;
  depthLimit: number;
  concurrency: number;
  fetch: FetchOptions;
}

/** What became of one URL the crawl visited. */
export type CrawledPage =
  | { url: string; outcome: 'page'; document: HtmlDocument }
  | { url: string; outcome: 'skipped' | 'failed'; title: string; detail: string };

interface QueuedUrl {
  url: string;
  depth: number;
}

/**
 * Visits pages breadth-first from a start page or a sitemap, only within the allowed origins, as
 * robots.txt allows, up to the page and depth limits, a few requests at a time. Each visited URL is
 * handed to `onPage` once, in the order the answers arrive.
 */
export async function crawl(
  settings: CrawlSettings,
  onPage: (page: CrawledPage) => Promise<void>,
): Promise<void> {
  const allowed = (url: URL): boolean =>
    (url.protocol === 'http:' || url.protocol === 'https:') && settings.allowedOrigins.includes(url.origin);
  const robots = new RobotsCache(settings.fetch, allowed);
  const seen = new Set<string>();
  const queue: QueuedUrl[] = [];
  let visited = 0;

  const enqueue = (href: string, base: string | undefined, depth: number): void => {
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      return;
    }
    url.hash = '';
    const key = url.toString();
    if (!allowed(url) || seen.has(key) || depth > settings.depthLimit) return;
    seen.add(key);
    queue.push({ url: key, depth });
  };

  const start = new URL(settings.startUrl);
  if (start.pathname.endsWith('.xml')) {
    for (const url of await sitemapUrls(settings.startUrl, settings.fetch, allowed))
      enqueue(url, undefined, 0);
  } else {
    enqueue(settings.startUrl, undefined, 0);
  }

  const visit = async ({ url, depth }: QueuedUrl): Promise<void> => {
    const refusal = await robots.refusal(url);
    if (refusal) {
      await onPage({ url, outcome: 'skipped', title: url, detail: refusal });
      return;
    }
    let page: CrawledPage;
    try {
      const resource = await fetchResource(url, settings.fetch, allowed);
      page = toPage(url, resource.status, resource.contentType, resource.body);
      if (page.outcome === 'page' && !page.document.nofollow) {
        for (const link of page.document.links) enqueue(link, resource.url, depth + 1);
      }
    } catch (error) {
      page = { url, outcome: 'failed', title: url, detail: reason(error) };
    }
    await onPage(page);
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const next = queue.shift();
      if (!next || visited >= settings.pageLimit) return;
      visited += 1;
      await visit(next);
    }
  };
  // Workers take from one queue; a worker that finds it empty while others still fetch (and may
  // add links) waits for them, then looks again.
  for (;;) {
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    if (queue.length === 0 || visited >= settings.pageLimit) return;
  }
}

function toPage(url: string, status: number, contentType: string, body: Buffer): CrawledPage {
  if (status < 200 || status >= 300) return { url, outcome: 'failed', title: url, detail: `HTTP ${status}` };
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'text/html' && type !== 'application/xhtml+xml') {
    return { url, outcome: 'skipped', title: url, detail: `Not an HTML page (${type || 'no content type'})` };
  }
  const document = htmlDocument(body.toString('utf8'), url);
  if (document.noindex)
    return { url, outcome: 'skipped', title: document.title, detail: 'The page asks not to be indexed' };
  return { url, outcome: 'page', document };
}

/** The page URLs of a sitemap, following one level of sitemap index. */
async function sitemapUrls(
  url: string,
  options: FetchOptions,
  allowed: (url: URL) => boolean,
): Promise<string[]> {
  const resource = await fetchResource(url, options, allowed);
  if (resource.status !== 200) throw new FetchError(`sitemap: HTTP ${resource.status}`);
  const xml = resource.body.toString('utf8');
  const locations = [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map((match) =>
    decodeXml(match[1] ?? ''),
  );
  if (!/<sitemapindex/i.test(xml)) return locations;
  const nested = await Promise.all(
    locations.map((location) => fetchResource(location, options, allowed).catch(() => null)),
  );
  return nested.flatMap((sitemap) =>
    sitemap?.status === 200
      ? [...sitemap.body.toString('utf8').matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map((m) =>
          decodeXml(m[1] ?? ''),
        )
      : [],
  );
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Why robots.txt keeps the crawler off a URL, or `null` when it may go. */
type RobotsRule = (url: string) => string | null;

/** robots.txt per origin, fetched once. Missing (4xx) allows all; unreachable (5xx, timeout) allows nothing. */
class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<RobotsRule>>();

  constructor(
    private readonly options: FetchOptions,
    private readonly allowed: (url: URL) => boolean,
  ) {}

  async refusal(url: string): Promise<string | null> {
    const origin = new URL(url).origin;
    let rule = this.byOrigin.get(origin);
    if (!rule) {
      rule = this.load(origin);
      this.byOrigin.set(origin, rule);
    }
    return (await rule)(url);
  }

  private async load(origin: string): Promise<RobotsRule> {
    const robotsUrl = `${origin}/robots.txt`;
    let unreadable: string;
    try {
      const resource = await fetchResource(robotsUrl, this.options, this.allowed);
      if (resource.status >= 400 && resource.status < 500) return () => null;
      if (resource.status === 200) {
        const parsed = robotsParser(robotsUrl, resource.body.toString('utf8'));
        return (url) => (parsed.isAllowed(url, CRAWLER_NAME) === false ? 'Disallowed by robots.txt' : null);
      }
      unreadable = `HTTP ${resource.status}`;
    } catch (error) {
      unreadable = reason(error);
    }
    // Without its rules, nothing on the origin may be crawled.
    return () => `robots.txt could not be read (${unreadable})`;
  }
}

function reason(error: unknown): string {
  if (error instanceof FetchError) return error.message;
  return error instanceof Error ? error.message : 'Could not fetch the page';
}
