import type { KnowledgeSource, KnowledgeSourceDetail, Site } from '@cloop/contracts';

import { CrawlRunner } from '../src/knowledge/ingestion/crawl-runner';
import { createSite, type SignedUpUser, signUp } from './support/factories';
import { type FixtureSite, html, startFixtureSite } from './support/fixture-site';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const PRIVATE_NETWORKS = { CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' };

function shopPages(outside: string): Parameters<typeof startFixtureSite>[0] {
  return {
    '/robots.txt': { contentType: 'text/plain', body: 'User-agent: *\nDisallow: /private/\n' },
    '/sitemap.xml': {
      contentType: 'application/xml',
      body: `<?xml version="1.0"?><urlset><url><loc>{ORIGIN}/shipping</loc></url><url><loc>{ORIGIN}/returns</loc></url></urlset>`,
    },
    '/': {
      body: html(
        'Fixture shop',
        `<h1>Welcome</h1><p>We sell handmade ceramic mugs.</p>
         <a href="/shipping">Shipping</a> <a href="returns#policy">Returns</a> <a href="/private/secret">Staff</a>
         <a href="/brochure.pdf">Brochure</a> <a href="/missing">Old page</a> <a href="/hidden">Hidden</a>
         <a href="/deep/1">Deep</a> <a href="${outside}/outside">Partner</a> <a href="mailto:shop@example.com">Mail</a>`,
      ),
    },
    '/shipping': {
      body: html(
        'Shipping',
        '<h1>Shipping</h1><h2>Finland</h2><p>Orders to Finland arrive in 2–4 working days.</p>',
      ),
    },
    '/returns': {
      body: html(
        'Returns',
        '<h1>Returns</h1><p>You can return unused mugs within 30 days for a full refund.</p>',
      ),
    },
    '/private/secret': { body: html('Staff only', '<p>The staff discount code is CERAMIC42.</p>') },
    '/brochure.pdf': { contentType: 'application/pdf', body: '%PDF-1.4 not really' },
    '/hidden': {
      body: '<html><head><meta name="robots" content="noindex"><title>Hidden</title></head><body><p>Draft</p></body></html>',
    },
    '/deep/1': { body: html('Deep 1', '<p>Level one.</p><a href="/deep/2">next</a>') },
    '/deep/2': { body: html('Deep 2', '<p>Level two.</p><a href="/deep/3">next</a>') },
    '/deep/3': { body: html('Deep 3', '<p>Level three.</p>') },
  };
}

describe('knowledge: crawling', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let shop: FixtureSite;
  let outside: FixtureSite;
  let site: Site;

  const sources = (): string => route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id });

  async function crawlAndWait(body: Record<string, unknown>): Promise<KnowledgeSourceDetail> {
    const created = await t.http
      .post(sources())
      .set(owner.auth)
      .send({ type: 'crawl', ...body })
      .expect(201);
    expect((created.body as KnowledgeSource).status).toBe('queued');
    await t.app.get(CrawlRunner).idle();
    return (
      await t.http
        .get(`${sources()}/${(created.body as KnowledgeSource).id}`)
        .set(owner.auth)
        .expect(200)
    ).body as KnowledgeSourceDetail;
  }

  const byPath = (detail: KnowledgeSourceDetail): Record<string, { status: string; detail: string | null }> =>
    Object.fromEntries(
      detail.documents.map((d) => [new URL(d.url ?? '').pathname, { status: d.status, detail: d.detail }]),
    );

  beforeAll(async () => {
    t = await startTestApp({ env: PRIVATE_NETWORKS });
    owner = await signUp(t.http);
    outside = await startFixtureSite({ '/outside': { body: html('Partner', '<p>Elsewhere</p>') } });
    shop = await startFixtureSite(shopPages(outside.origin));
    const sitemap = shop.pages.get('/sitemap.xml');
    if (sitemap) sitemap.body = String(sitemap.body).replaceAll('{ORIGIN}', shop.origin);
    site = await createSite(t.http, owner, { allowedOrigins: [shop.origin] });
  });
  afterAll(async () => {
    await t.close();
    await shop.close();
    await outside.close();
  });

  beforeEach(() => {
    shop.requests.length = 0;
    outside.requests.length = 0;
  });

  it('follows links within the allowed origin, honouring robots.txt, noindex and the depth limit', async () => {
    const detail = await crawlAndWait({ url: `${shop.origin}/`, depthLimit: 2 });

    expect(detail.status).toBe('ready');
    expect(byPath(detail)).toEqual({
      '/': { status: 'indexed', detail: null },
      '/shipping': { status: 'indexed', detail: null },
      '/returns': { status: 'indexed', detail: null },
      '/private/secret': { status: 'skipped', detail: 'Disallowed by robots.txt' },
      '/brochure.pdf': { status: 'skipped', detail: 'Not an HTML page (application/pdf)' },
      '/missing': { status: 'failed', detail: 'HTTP 404' },
      '/hidden': { status: 'skipped', detail: 'The page asks not to be indexed' },
      '/deep/1': { status: 'indexed', detail: null },
      '/deep/2': { status: 'indexed', detail: null },
    });
    expect(shop.requests).not.toContain('/private/secret');
    expect(shop.requests).not.toContain('/deep/3');
    expect(shop.requests.filter((path) => path === '/robots.txt')).toHaveLength(1);
    expect(outside.requests).toEqual([]);
    expect(detail.documentCount).toBe(9);
    expect(detail.chunkCount).toBe(detail.documents.reduce((sum, d) => sum + d.chunkCount, 0));
    expect(detail.chunkCount).toBeGreaterThanOrEqual(5);

    const found = await t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/search', { siteId: site.id }))
      .set(owner.auth)
      .send({ query: 'how long does shipping to Finland take' })
      .expect(200);
    expect(found.body).toMatchObject({
      passages: [expect.objectContaining({ url: `${shop.origin}/shipping`, title: 'Shipping' })],
    });
    const secret = await t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/search', { siteId: site.id }))
      .set(owner.auth)
      .send({ query: 'staff discount code' })
      .expect(200);
    expect(JSON.stringify(secret.body)).not.toContain('CERAMIC42');
  });

  it('stops at the page limit', async () => {
    const detail = await crawlAndWait({ url: `${shop.origin}/`, pageLimit: 2 });
    expect(detail.documents).toHaveLength(2);
    expect(shop.requests.filter((path) => path !== '/robots.txt')).toHaveLength(2);
  });

  it('starts from a sitemap', async () => {
    const detail = await crawlAndWait({ url: `${shop.origin}/sitemap.xml`, depthLimit: 0 });
    expect(Object.keys(byPath(detail)).sort()).toEqual(['/returns', '/shipping']);
  });

  it('recrawls: unchanged pages keep their index, changed ones are indexed again, vanished ones go', async () => {
    const first = await crawlAndWait({ url: `${shop.origin}/sitemap.xml`, depthLimit: 0 });
    shop.pages.set('/shipping', {
      body: html(
        'Shipping',
        '<h1>Shipping</h1><p>Orders to Finland now arrive next working day by express courier.</p>',
      ),
    });
    const returns = shop.pages.get('/returns');
    shop.pages.delete('/returns');
    try {
      await t.http.post(`${sources()}/${first.id}/recrawl`).set(owner.auth).expect(202);
      await t.app.get(CrawlRunner).idle();
      const again = (await t.http.get(`${sources()}/${first.id}`).set(owner.auth).expect(200))
        .body as KnowledgeSourceDetail;
      expect(byPath(again)).toEqual({
        '/shipping': { status: 'indexed', detail: null },
        '/returns': { status: 'failed', detail: 'HTTP 404' },
      });
      shop.pages.set('/shipping', shopPages(outside.origin)['/shipping'] as never);
      if (returns) shop.pages.set('/returns', returns);
      await t.http.post(`${sources()}/${first.id}/recrawl`).set(owner.auth).expect(202);
      await t.app.get(CrawlRunner).idle();
      await t.http.post(`${sources()}/${first.id}/recrawl`).set(owner.auth).expect(202);
      await t.app.get(CrawlRunner).idle();
      const third = (await t.http.get(`${sources()}/${first.id}`).set(owner.auth).expect(200))
        .body as KnowledgeSourceDetail;
      expect(byPath(third)).toEqual({
        '/shipping': { status: 'unchanged', detail: null },
        '/returns': { status: 'unchanged', detail: null },
      });
    } finally {
      if (returns) shop.pages.set('/returns', returns);
    }
  });

  it('refuses a start URL outside the allowed origins', async () => {
    const refused = await t.http
      .post(sources())
      .set(owner.auth)
      .send({ type: 'crawl', url: `${outside.origin}/outside` })
      .expect(400);
    expect(refused.body).toMatchObject({ code: 'CRAWL_URL_NOT_ALLOWED' });
    expect(outside.requests).toEqual([]);
  });

  it('deleting a source removes its pages and chunks from search', async () => {
    const detail = await crawlAndWait({ url: `${shop.origin}/sitemap.xml`, depthLimit: 0 });
    await t.http.delete(`${sources()}/${detail.id}`).set(owner.auth).expect(204);
    await t.http.get(`${sources()}/${detail.id}`).set(owner.auth).expect(404);
    const list = await t.http.get(sources()).set(owner.auth).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(detail.id);
  });
});

describe('knowledge: the crawler and private networks', () => {
  it('refuses loopback and private addresses unless CRAWL_ALLOW_PRIVATE_NETWORKS is set', async () => {
    const t = await startTestApp();
    const shop = await startFixtureSite({ '/': { body: html('Intranet', '<p>Internal</p>') } });
    try {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner, { allowedOrigins: [shop.origin] });
      const created = await t.http
        .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }))
        .set(owner.auth)
        .send({ type: 'crawl', url: `${shop.origin}/` })
        .expect(201);
      await t.app.get(CrawlRunner).idle();
      const detail = (
        await t.http
          .get(
            route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}', {
              siteId: site.id,
              sourceId: (created.body as KnowledgeSource).id,
            }),
          )
          .set(owner.auth)
          .expect(200)
      ).body as KnowledgeSourceDetail;
      // robots.txt cannot be fetched either, so nothing may be crawled; nothing reached the server.
      expect(detail.documents).toEqual([
        expect.objectContaining({
          status: 'skipped',
          detail:
            'robots.txt could not be read (127.0.0.1 is a private address: set CRAWL_ALLOW_PRIVATE_NETWORKS=true to allow it)',
        }),
      ]);
      expect(shop.requests).toEqual([]);
    } finally {
      await t.close();
      await shop.close();
    }
  });
});
