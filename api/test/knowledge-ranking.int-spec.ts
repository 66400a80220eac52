import type {
  KnowledgeSearchResponse,
  KnowledgeSource,
  KnowledgeSourceDetail,
  Message,
  Site,
  UnansweredQuestion,
} from '@cloop/contracts';
import { DataSource } from 'typeorm';

import {
  addMember,
  createSite,
  createVisitorSession,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

// Ranking, answers and the unanswered list on a small developer-documentation site; the
// measured evaluation on third-party documents is answer-quality.int-spec.ts.
const DOCUMENTS: Record<string, string> = {
  'orm.md': `# Tiny ORM

Tiny ORM maps tables to classes.

## Connecting

Call \`mongoose.connect(uri)\` once when the process starts. The pool opens five sockets by default.
Every model shares the same pool. Queries wait in line while the pool is busy. A second call to connect
replaces the pool. Closing the pool ends every socket.`,
  'realtime.md': `# Realtime

The realtime server is built on socket.io and keeps one room per team. Rooms are joined on connection.

## Reconnecting

Clients reconnect with exponential backoff, starting at one second. Set \`maxRetries\` to give up.`,
  'deploy.md': `# Deploying

Build the image with \`docker build\`. The container listens on port 8080.
Set \`DATABASE_URL\` before starting it. The health check is read-only.`,
  'pricing.md': `# Pricing

The team plan costs 20 euros per seat and month. Invoices are sent on the first day of the month.`,
  'billing.md': `# Billing

Invoices are sent on the first day of the month. Cards are charged the same day.`,
};

describe('knowledge: ranking, answers and the unanswered list', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;
  const sourceOf = new Map<string, string>();
  const search = async (query: string): Promise<KnowledgeSearchResponse> =>
    (
      await t.http
        .post(route('/api/v1/sites/{siteId}/knowledge/search', { siteId: site.id }))
        .set(owner.auth)
        .send({ query })
        .expect(200)
    ).body as KnowledgeSearchResponse;
  const titlesFor = async (query: string): Promise<string[]> =>
    (await search(query)).passages.map((passage) => passage.title);
  const ask = async (question: string): Promise<Message> => {
    const visitor = await createVisitorSession(t.http, site);
    return (await sendAndAwaitAnswer(t.http, visitor.headers, question)).answer;
  };
  const unanswered = async (): Promise<UnansweredQuestion[]> =>
    (
      (
        await t.http
          .get(route('/api/v1/sites/{siteId}/knowledge/unanswered', { siteId: site.id }))
          .set(owner.auth)
          .expect(200)
      ).body as {
        items: UnansweredQuestion[];
      }
    ).items;
  const upload = async (filename: string, markdown: string): Promise<KnowledgeSource> =>
    (
      await t.http
        .post(route('/api/v1/sites/{siteId}/knowledge/uploads', { siteId: site.id }))
        .set(owner.auth)
        .attach('file', Buffer.from(markdown), { filename, contentType: 'text/markdown' })
        .expect(201)
    ).body as KnowledgeSource;
  const siteStats = async (): Promise<{ chunks: number; counted: number; df: number }> => {
    const [row] = await t.app.get(DataSource).query<{ chunks: number; counted: number; df: number }[]>(
      `SELECT (SELECT count(*) FROM knowledge_chunks WHERE site_id = $1)::int AS chunks,
              (SELECT coalesce(max(chunk_count), 0) FROM knowledge_site_stats WHERE site_id = $1)::int AS counted,
              (SELECT coalesce(max(df), 0) FROM knowledge_term_stats WHERE site_id = $1 AND lexeme = 'invoic')::int AS df`,
      [site.id],
    );
    if (!row) throw new Error('no statistics row');
    return row;
  };

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: ['https://docs.example'] });
    for (const [filename, markdown] of Object.entries(DOCUMENTS)) {
      sourceOf.set(filename, (await upload(filename, markdown)).id);
    }
  });
  afterAll(() => t.close());

  it('finds a dotted name whole, and by its parts', async () => {
    expect((await titlesFor('mongoose.connect'))[0]).toBe('Tiny ORM');
    expect((await titlesFor('how do I connect with mongoose'))[0]).toBe('Tiny ORM');
    expect((await titlesFor('socket.io rooms'))[0]).toBe('Realtime');
  });

  it('finds a camel-case name by its words', async () => {
    expect(await titlesFor('how many retries at most')).toEqual(['Realtime']);
  });

  it('finds a hyphenated word written as one, and as it is written', async () => {
    expect(await titlesFor('readonly')).toEqual(['Deploying']);
    expect((await titlesFor('read-only health check'))[0]).toBe('Deploying');
  });

  it('ranks the document a question names above one that only shares common words', async () => {
    expect((await titlesFor('which port does the container listen on'))[0]).toBe('Deploying');
    expect((await titlesFor('realtime backoff'))[0]).toBe('Realtime');
  });

  it('keeps the term statistics true as sources come and go', async () => {
    const before = await siteStats();
    expect(before.counted).toBe(before.chunks);
    expect(before.df).toBe(2); // "Invoices" in pricing.md and billing.md
    const extra = await upload('faq.md', '# FAQ\n\nInvoices can be downloaded from the account page.');
    const added = await siteStats();
    expect(added).toEqual({ chunks: before.chunks + 1, counted: before.chunks + 1, df: 3 });
    await t.http
      .delete(
        route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}', { siteId: site.id, sourceId: extra.id }),
      )
      .set(owner.auth)
      .expect(204);
    expect(await siteStats()).toEqual(before);
  });

  it('quotes the sentences that answer, not the opening of the passage, and cites the document', async () => {
    const answer = await ask('Do queries wait when the pool is busy?');
    expect(answer.body).toContain('Queries wait in line while the pool is busy.');
    expect(answer.body).not.toContain('Tiny ORM maps tables to classes.');
    expect(answer.citations[0]).toEqual({ title: 'Tiny ORM — Connecting', url: null });
    // At most three sentences from one citation.
    const quoted = answer.body.split('\n\n').slice(1).join(' ');
    expect(quoted.match(/[.!?](\s|$)/g)?.length ?? 0).toBeLessThanOrEqual(3);
  });

  it('never says the same statement twice, and cites a second document only when it adds one', async () => {
    const answer = await ask('When are invoices sent?');
    const statement = 'Invoices are sent on the first day of the month.';
    expect(answer.body.split(statement).length - 1).toBe(1);
    expect(answer.citations.length).toBeLessThanOrEqual(2);
    expect(new Set(answer.citations.map((citation) => citation.title)).size).toBe(answer.citations.length);
  });

  it('declines a question about something the content never mentions, even when other words match', async () => {
    const answer = await ask('Does the team plan include a Kubernetes operator?');
    expect(answer.citations).toEqual([]);
    expect(answer.body).toMatch(/couldn't find an answer/);
    expect(answer.confidence).toBeLessThan(0.35);
    expect((await unanswered()).map((item) => item.question)).toContain(
      'Does the team plan include a Kubernetes operator?',
    );
  });

  it('answers a question with a number the content never uses from what it says instead', async () => {
    const answer = await ask('Does the container listen on port 9090?');
    expect(answer.body).toContain('The container listens on port 8080.');
    expect(answer.citations[0]?.title).toBe('Deploying');
  });

  it('answers a dotted name the content never writes whole from the parts it does use', async () => {
    // "pool.sockets" is nowhere in the content; "pool" and "sockets" are, in the answering passage.
    const answer = await ask('How many pool.sockets are opened by default?');
    expect(answer.citations[0]?.title).toMatch(/^Tiny ORM/);
    expect(answer.body).toContain('The pool opens five sockets by default.');
    expect(answer.confidence).toBeGreaterThanOrEqual(0.35);
  });

  it('drops a question from the unanswered list once the content answers it', async () => {
    const question = 'Do you offer a student discount?';
    await ask(question);
    expect((await unanswered()).map((item) => item.question)).toContain(question);
    await t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }))
      .set(owner.auth)
      .send({ type: 'qa', question, answer: 'Students get the team plan at half price.' })
      .expect(201);
    expect((await unanswered()).map((item) => item.question)).not.toContain(question);
    const answer = await ask(question);
    expect(answer.body).toContain('Students get the team plan at half price.');
  });

  it('lets an admin dismiss a question, never a member, nor another site', async () => {
    const question = 'Can I pay in bitcoin?';
    await ask(question);
    const item = (await unanswered()).find((entry) => entry.question === question);
    if (!item) throw new Error('the question is not listed');
    const member = await signUp(t.http);
    await addMember(t.http, owner, member, 'member');
    const refused = await t.http
      .delete(
        route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', {
          siteId: site.id,
          questionId: item.id,
        }),
      )
      .set(member.auth)
      .expect(403);
    expect(refused.body).toMatchObject({ code: expect.any(String) as string });
    const stranger = await signUp(t.http);
    const strangersSite = await createSite(t.http, stranger);
    const elsewhere = await t.http
      .delete(
        route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', {
          siteId: strangersSite.id,
          questionId: item.id,
        }),
      )
      .set(stranger.auth)
      .expect(404);
    expect(elsewhere.body).toMatchObject({ code: 'QUESTION_NOT_FOUND' });
    await t.http
      .delete(
        route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', {
          siteId: site.id,
          questionId: item.id,
        }),
      )
      .set(owner.auth)
      .expect(204);
    expect((await unanswered()).map((entry) => entry.id)).not.toContain(item.id);
    // Dismissing again is the same outcome; an id that is no visitor question is not.
    await t.http
      .delete(
        route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', {
          siteId: site.id,
          questionId: item.id,
        }),
      )
      .set(owner.auth)
      .expect(204);
    await t.http
      .delete(
        route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', {
          siteId: site.id,
          questionId: item.conversationId,
        }),
      )
      .set(owner.auth)
      .expect(404);
    await t.http
      .delete(`/api/v1/sites/${site.id}/knowledge/unanswered/not-a-uuid`)
      .set(owner.auth)
      .expect(400);
  });

  it('titles uploads by what they are about, never by a generic first heading', async () => {
    const readme = await upload('README.md', '# Installation\n\nRun the installer.');
    const badge = await upload(
      'acme.md',
      '[![ci](https://ci.example/b.svg)](https://ci.example)\n\n## Install\n\nRun it.',
    );
    const titleOf = async (source: KnowledgeSource): Promise<string | undefined> =>
      (
        (
          await t.http
            .get(
              route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}', {
                siteId: site.id,
                sourceId: source.id,
              }),
            )
            .set(owner.auth)
            .expect(200)
        ).body as KnowledgeSourceDetail
      ).documents[0]?.title;
    expect(await titleOf(readme)).toBe('README — Installation');
    expect(await titleOf(badge)).toBe('acme');
  });
});
