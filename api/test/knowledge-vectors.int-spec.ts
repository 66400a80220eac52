import type { KnowledgeSearchResponse, KnowledgeSource, Site } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { EmbeddingBackfill } from '../src/knowledge/ingestion/embedding-backfill';
import { VectorSupport } from '../src/knowledge/vector-support';
import { createSite, type SignedUpUser, signUp } from './support/factories';
import { type FakeEmbeddings, startFakeEmbeddings } from './support/fake-embeddings';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const REFUND = {
  question: 'Can I send a purchase back?',
  answer: 'We reimburse every purchase within 30 days.',
};
const HOURS = {
  question: 'When is the shop open?',
  answer: 'Weekdays from 9 to 17, Saturdays from 10 to 14.',
};
/** Shares no word with the refund entry: only its meaning finds it. */
const PARAPHRASE = 'How do I get my money repaid?';

interface Harness {
  t: TestApp;
  owner: SignedUpUser;
  site: Site;
  search(query: string): Promise<KnowledgeSearchResponse>;
  addQa(entry: { question: string; answer: string }): Promise<KnowledgeSource>;
}

async function harness(env: Record<string, string> = {}): Promise<Harness> {
  const t = await startTestApp({ env });
  const owner = await signUp(t.http);
  const site = await createSite(t.http, owner);
  return {
    t,
    owner,
    site,
    search: async (query) =>
      (
        await t.http
          .post(route('/api/v1/sites/{siteId}/knowledge/search', { siteId: site.id }))
          .set(owner.auth)
          .send({ query })
          .expect(200)
      ).body as KnowledgeSearchResponse,
    addQa: async (entry) =>
      (
        await t.http
          .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }))
          .set(owner.auth)
          .send({ type: 'qa', ...entry })
          .expect(201)
      ).body as KnowledgeSource,
  };
}

describe('knowledge: vector search beside full-text search', () => {
  let embeddings: FakeEmbeddings;
  let withVectors: Harness;
  let pgvectorHere: boolean;

  beforeAll(async () => {
    embeddings = await startFakeEmbeddings();
    withVectors = await harness({ EMBEDDING_MODEL: 'fake-embed', EMBEDDING_BASE_URL: embeddings.baseUrl });
    const [row] = await withVectors.t.app
      .get(DataSource)
      .query<
        { available: boolean }[]
      >(`SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available`);
    pgvectorHere = row?.available ?? false;
    await withVectors.addQa(REFUND);
    await withVectors.addQa(HOURS);
    await withVectors.t.app.get(EmbeddingBackfill).idle();
  });
  afterAll(async () => {
    await withVectors?.t.close();
    await embeddings?.close();
  });

  it('detects pgvector: embedded PGlite has it; a server without it runs on full-text search', () => {
    const status = withVectors.t.app.get(VectorSupport).status;
    if (process.env['DATABASE_URL']) {
      // The machine's Debian PostgreSQL has no pgvector; the Docker image's has (then: enabled).
      expect(status).toBe(pgvectorHere ? 'enabled' : 'no-extension');
    } else {
      expect(pgvectorHere).toBe(true);
      expect(status).toBe('enabled');
    }
  });

  it('finds a passage by meaning when the question shares no word with it', async () => {
    const { passages } = await withVectors.search(PARAPHRASE);
    if (!pgvectorHere) {
      // Full-text search only: nothing shares a word, so nothing is found, and nothing failed.
      expect(passages).toEqual([]);
      return;
    }
    expect(passages[0]).toMatchObject({ title: REFUND.question });
    expect(passages[0]?.score).toBeGreaterThanOrEqual(0.2);
    expect(passages.find((passage) => passage.title === HOURS.question)?.score ?? 0).toBeLessThan(
      passages[0]?.score ?? 0,
    );
  });

  it('still ranks by words: a question that names the words finds the same passage first', async () => {
    const { passages } = await withVectors.search('opening hours on saturdays');
    expect(passages[0]).toMatchObject({ title: HOURS.question });
  });

  it('answers by words when the embedding provider is down, and embeds what was missed once it is back', async () => {
    if (!pgvectorHere) return;
    embeddings.up = false;
    try {
      const late = await withVectors.addQa({
        question: 'Do you deliver abroad?',
        answer: 'Parcels go to every EU country by courier.',
      });
      await withVectors.t.app.get(EmbeddingBackfill).idle();
      const { passages } = await withVectors.search('parcels to sweden');
      expect(passages[0]).toMatchObject({ sourceId: late.id });
      const [{ missing }] = await withVectors.t.app
        .get(DataSource)
        .query<
          { missing: number }[]
        >(`SELECT count(*)::int AS missing FROM knowledge_chunks WHERE site_id = $1 AND embedding IS NULL`, [withVectors.site.id]);
      expect(missing).toBeGreaterThan(0);
    } finally {
      embeddings.up = true;
    }
    const backfill = withVectors.t.app.get(EmbeddingBackfill);
    backfill.kick();
    await backfill.idle();
    const { passages } = await withVectors.search('What does shipping cost?');
    expect(passages[0]).toMatchObject({ title: 'Do you deliver abroad?' });
  });

  it('never sends an email typed into a question to the embedding provider', async () => {
    if (!pgvectorHere) return;
    await withVectors.search('my address is jane.doe@example.com, can I get a refund?');
    expect(embeddings.inputs.join('\n')).not.toContain('jane.doe@example.com');
    expect(embeddings.inputs.join('\n')).toContain('[email]');
  });

  it('keeps one site’s vectors from another site’s visitors', async () => {
    const other = await createSite(withVectors.t.http, withVectors.owner);
    const response = await withVectors.t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/search', { siteId: other.id }))
      .set(withVectors.owner.auth)
      .send({ query: PARAPHRASE })
      .expect(200);
    expect((response.body as KnowledgeSearchResponse).passages).toEqual([]);
  });
});

describe('knowledge: without an embedding model', () => {
  let plain: Harness;

  beforeAll(async () => {
    plain = await harness();
    await plain.addQa(REFUND);
  });
  afterAll(() => plain?.t.close());

  it('searches words only, and a paraphrase finds nothing', async () => {
    expect(plain.t.app.get(VectorSupport).status).not.toBe('enabled');
    expect((await plain.search(PARAPHRASE)).passages).toEqual([]);
    expect((await plain.search('reimburse a purchase')).passages[0]).toMatchObject({
      title: REFUND.question,
    });
  });
});
