import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// bench/ is not an Nx project: the evaluation module is shared by the bench and this test.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  buildBaseline,
  client,
  figures,
  loadCorpus,
  loadQuestions,
  runBaseline,
  runProduct,
  summarise,
  table,
  uploadCorpus,
} from '../../bench/answer-quality/evaluation.cjs';
import { createSite, signUp } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

// The CI-sized answer-quality evaluation (`bench/answer-quality.mjs` runs both halves): the tune
// half of the questions, asked through the widget, against plain BM25 over the same files.
describe('answer quality on third-party documentation', () => {
  const corpus = loadCorpus();
  const questions = loadQuestions(corpus);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('holds at least 80 answerable questions, a third of them paraphrases, and 15 it cannot answer, in two halves', () => {
    // loadQuestions has already checked each phrase and heading against its document, and that
    // no unanswerable question's terms occur anywhere in the corpus.
    const answerable = questions.filter((q) => q.answerable);
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(answerable.length).toBeGreaterThanOrEqual(80);
    expect(answerable.filter((q) => q.paraphrase).length / answerable.length).toBeGreaterThanOrEqual(0.3);
    expect(questions.filter((q) => !q.answerable).length).toBeGreaterThanOrEqual(15);
    for (const half of ['tune', 'heldout'])
      expect(questions.filter((q) => q.half === half).length).toBeGreaterThanOrEqual(
        questions.length / 2 - 1,
      );
  });

  it('refuses a question whose phrase is not in its document, or whose "absent" terms the corpus contains', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'answer-quality-')), 'questions.json');
    const write = (question: object) => writeFileSync(file, JSON.stringify({ questions: [question] }));
    const answerable = {
      id: 'x1',
      half: 'tune',
      question: 'ky timeout',
      document: 'ky.md',
      heading: 'timeout',
    };
    write({ ...answerable, answer: 'Timeout in milliseconds for getting a response' });
    expect(loadQuestions(corpus, file)).toHaveLength(1);
    write({ ...answerable, answer: 'ky never times out' });
    expect(() => loadQuestions(corpus, file)).toThrow('is not in ky.md');
    write({ ...answerable, heading: 'Timeouts', answer: 'Timeout in milliseconds for getting a response' });
    expect(() => loadQuestions(corpus, file)).toThrow('no heading "Timeouts"');
    write({ id: 'x2', half: 'heldout', question: 'ky and axios', document: null, absentTerms: ['axios'] });
    expect(() => loadQuestions(corpus, file)).toThrow('the corpus contains axios');
  });

  it('ranks the answering document first, and among the top three, at least as often as plain BM25', async () => {
    const owner = await signUp(t.http);
    const site = await createSite(t.http, owner, { allowedOrigins: ['https://docs.example'] });
    const base = `http://${await t.listen()}`;
    const request = client(base);
    const uploaded = await uploadCorpus(request, { auth: owner.auth, siteId: site.id }, corpus);
    const tune = questions.filter((q) => q.half === 'tune');

    const product = await runProduct(request, { auth: owner.auth, site }, uploaded, tune);
    const baseline = runBaseline(buildBaseline(corpus), tune);

    console.log(
      `answer quality, tune half:\n${table(
        [
          { name: 'Cloop', summary: summarise(product) },
          { name: 'BM25', summary: summarise(baseline) },
        ],
        ['tune'],
      )}`,
    );
    const ours = figures(product);
    const theirs = figures(baseline);
    expect(ours.top1).toBeGreaterThanOrEqual(theirs.top1 ?? 1);
    expect(ours.top3).toBeGreaterThanOrEqual(theirs.top3 ?? 1);
  }, 600_000);
});
