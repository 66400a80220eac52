import type { KnowledgeSource, KnowledgeSourceDetail, Site } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { CrawlRunner } from '../src/knowledge/ingestion/crawl-runner';
import { createSite, type SignedUpUser, signUp } from './support/factories';
import { type FixtureSite, html, startFixtureSite } from './support/fixture-site';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const PRIVATE_NETWORKS = { CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' };
const sharedServers = Boolean(process.env['DATABASE_URL']);

describe('knowledge: crawls are claimed, taken over and recrawled on schedule', () => {
  let a: TestApp;
  /** A second replica on the same database (PostgreSQL only: embedded PGlite is one process). */
  let b: TestApp | null = null;
  let owner: SignedUpUser;
  let shop: FixtureSite;
  let site: Site;

  const db = (): DataSource => a.app.get(DataSource);
  const runners = (): CrawlRunner[] => [a, ...(b ? [b] : [])].map((app) => app.app.get(CrawlRunner));
  const hits = (path: string): number => shop.requests.filter((request) => request === path).length;

  async function createCrawl(): Promise<KnowledgeSource> {
    const created = await a.http
      .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }))
      .set(owner.auth)
      .send({ type: 'crawl', url: `${shop.origin}/` })
      .expect(201);
    await Promise.all(runners().map((runner) => runner.idle()));
    return created.body as KnowledgeSource;
  }

  async function detail(sourceId: string): Promise<KnowledgeSourceDetail> {
    return (
      await a.http
        .get(route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}', { siteId: site.id, sourceId }))
        .set(owner.auth)
        .expect(200)
    ).body as KnowledgeSourceDetail;
  }

  /** Every replica sweeps at the same moment, as their timers would. */
  async function sweepEverywhere(): Promise<void> {
    await Promise.all(runners().map((runner) => runner.sweep()));
    await Promise.all(runners().map((runner) => runner.idle()));
  }

  beforeAll(async () => {
    shop = await startFixtureSite({
      '/robots.txt': { contentType: 'text/plain', body: 'User-agent: *\nAllow: /\n' },
      '/': { body: html('Home', '<h1>Mugs</h1><p>Handmade mugs.</p><a href="/care">Care</a>') },
      '/care': { body: html('Care', '<h1>Care</h1><p>Every mug is dishwasher safe.</p>') },
    });
    a = await startTestApp({ env: PRIVATE_NETWORKS });
    if (sharedServers) b = await startTestApp({ env: { ...a.sharedEnv, ...PRIVATE_NETWORKS } });
    owner = await signUp(a.http);
    site = await createSite(a.http, owner, { allowedOrigins: [shop.origin] });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await shop?.close();
  });

  it('takes over a crawl whose replica died, once, however many replicas sweep', async () => {
    const source = await createCrawl();
    expect((await detail(source.id)).status).toBe('ready');
    const before = hits('/care');

    // A replica claimed it and died: its claim ran out a while ago.
    await db().query(
      `UPDATE knowledge_sources SET status = 'running', claimed_until = now() - interval '1 minute' WHERE id = $1`,
      [source.id],
    );
    await sweepEverywhere();

    expect(hits('/care')).toBe(before + 1);
    expect(await detail(source.id)).toMatchObject({ status: 'ready', error: null });
  });

  it('leaves a crawl alone while the replica running it keeps its claim', async () => {
    const source = await createCrawl();
    const before = hits('/care');
    await db().query(
      `UPDATE knowledge_sources SET status = 'running', claimed_until = now() + interval '1 minute' WHERE id = $1`,
      [source.id],
    );
    await sweepEverywhere();

    expect(hits('/care')).toBe(before);
    expect((await detail(source.id)).status).toBe('running');
    await db().query(`UPDATE knowledge_sources SET status = 'ready', claimed_until = NULL WHERE id = $1`, [
      source.id,
    ]);
  });

  it('recrawls a source once its last crawl is older than CRAWL_RECRAWL_DAYS (7 by default), once', async () => {
    const source = await createCrawl();
    await db().query(
      `UPDATE knowledge_sources SET crawled_at = now() - interval '6 days' WHERE site_id = $1 AND id <> $2`,
      [site.id, source.id],
    );
    await db().query(`UPDATE knowledge_sources SET crawled_at = now() - interval '8 days' WHERE id = $1`, [
      source.id,
    ]);
    const before = hits('/care');
    await sweepEverywhere();

    expect(hits('/care')).toBe(before + 1);
    const [row] = await db().query<{ recent: boolean }[]>(
      `SELECT crawled_at > now() - interval '1 minute' AS recent FROM knowledge_sources WHERE id = $1`,
      [source.id],
    );
    expect(row?.recent).toBe(true);
    // The page did not change: the recrawl kept it as it was.
    expect((await detail(source.id)).documents.map((document) => document.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);

    // Nothing else was due.
    await sweepEverywhere();
    expect(hits('/care')).toBe(before + 1);
  });
});
