// Answer quality on documentation nobody here wrote: 40 READMEs of npm packages uploaded as
// Markdown (or another set, --set), 135 visitor questions asked through the widget with the retrieval-only responder (no
// model configured), beside a plain BM25 baseline over the same files in the same run.
// Prints a table (or JSON); never fails on its figures. Run after building the API:
//   node bench/answer-quality.mjs                  embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/answer-quality.mjs
// Flags: --json (figures and every question's outcome as JSON), --misses (list what went wrong),
// --half=tune|heldout (only that half's questions), --verbose (each reply without its answering
// phrase, in full), --set=DIR (another evaluation: DIR/corpus with its manifest.json, and
// DIR/questions.json; e.g. --set=bench/answer-quality/second-check).
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { startInProcessApp } from './support/in-process-app.mjs';

const require = createRequire(import.meta.url);
const evaluation = require('./answer-quality/evaluation.cjs');

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const half = [...args].find((arg) => arg.startsWith('--half='))?.slice('--half='.length);
const log = (...line) => {
  if (!json) console.log(...line);
};

const set = [...args].find((arg) => arg.startsWith('--set='))?.slice('--set='.length);
const corpus = evaluation.loadCorpus(set ? join(resolve(set), 'corpus') : undefined);
const questions = evaluation
  .loadQuestions(corpus, set ? join(resolve(set), 'questions.json') : undefined)
  .filter((q) => !half || q.half === half);

// Each question comes from its own visitor and address (X-Forwarded-For, trusted one hop), so the
// per-visitor and per-IP limits are never met; RATE_LIMITS lifts the chat limit where supported.
const app = await startInProcessApp({
  TRUST_PROXY: '1',
  RATE_LIMITS: JSON.stringify({ chat: { limit: 100_000, windowMs: 60_000 } }),
});
try {
  const { auth, site } = await app.ownerWithSite({ allowedOrigins: [evaluation.ORIGIN] });
  const request = evaluation.client(app.base);

  const uploading = Date.now();
  const uploaded = await evaluation.uploadCorpus(request, { auth, siteId: site.id }, corpus);
  const [{ chunks }] = await app.db.query(
    'SELECT count(*)::int AS chunks FROM knowledge_chunks WHERE site_id = $1',
    [site.id],
  );
  const sharedTitles = [...uploaded.filesByTitle].filter(([, files]) => files.length > 1);
  log(
    `${app.kind}: ${corpus.length} documents (${(corpus.reduce((n, d) => n + d.text.length, 0) / 1e6).toFixed(2)} MB) ` +
      `uploaded and indexed in ${((Date.now() - uploading) / 1000).toFixed(1)} s: ${chunks} chunks; ` +
      `${sharedTitles.length} titles shared by several documents${sharedTitles.length ? `: ${sharedTitles.map(([t, f]) => `"${t}" (${f.join(', ')})`).join('; ')}` : ''}`,
  );

  const product = await evaluation.runProduct(request, { auth, site }, uploaded, questions);
  const baseline = evaluation.runBaseline(evaluation.buildBaseline(corpus), questions);
  const summaries = {
    product: evaluation.summarise(product),
    baseline: evaluation.summarise(baseline),
  };

  if (json) {
    console.log(
      JSON.stringify(
        {
          database: app.kind,
          documents: corpus.length,
          chunks,
          figures: summaries,
          results: { product, baseline },
        },
        null,
        2,
      ),
    );
  } else {
    const answerable = questions.filter((q) => q.answerable);
    console.log(
      `${answerable.length} answerable questions (${answerable.filter((q) => q.paraphrase).length} share no word with the answering heading), ` +
        `${questions.length - answerable.length} unanswerable\n`,
    );
    console.log(
      evaluation.table([
        { name: 'Cloop', summary: summaries.product },
        { name: 'BM25', summary: summaries.baseline },
      ]),
    );
    const paraphrases = (results) => evaluation.figures(results.filter((r) => !r.answerable || r.paraphrase));
    const percent = (value) => `${((value ?? 0) * 100).toFixed(0)}%`;
    console.log(
      `\nparaphrases only: Cloop top-1 ${percent(paraphrases(product).top1)}, top-3 ${percent(paraphrases(product).top3)}; ` +
        `BM25 top-1 ${percent(paraphrases(baseline).top1)}, top-3 ${percent(paraphrases(baseline).top3)}`,
    );
    console.log(
      "top-1: the reply's first citation names the expected document (Cloop) / the best passage is from it (BM25); " +
        'top-3: the expected document is among the first 3 distinct documents of the search API (Cloop) / of the ranking (BM25); ' +
        'phrase: the reply contains the answering phrase; declined: a reply with no citations (BM25 never declines); ' +
        'latency: from sending the message to reading the reply over HTTP (Cloop), in-process ranking (BM25).',
    );
    const ambiguous = product.filter((r) => r.ambiguous).length;
    if (ambiguous > 0)
      console.log(
        `${ambiguous} Cloop replies cited a title that several documents share (counted as top-1 misses)`,
      );
    if (args.has('--verbose')) {
      // Every answerable question whose reply lacks the answering phrase, with the reply itself.
      for (const r of product.filter((r) => r.answerable && !r.phrase)) {
        const question = questions.find((q) => q.id === r.id);
        console.log(
          `\n--- ${r.id} ${r.question}\n    expected ${r.expected} › ${question?.heading}: "${question?.answer}"` +
            `\n    cited ${r.citations.join(' | ') || 'nothing'}\n${r.reply.replace(/^/gm, '    > ')}`,
        );
      }
    }
    if (args.has('--misses')) {
      for (const r of product.filter((r) => (r.answerable && !r.top1) || (!r.answerable && !r.declined)))
        console.log(
          `  ${r.id} ${r.question} → expected ${r.expected ?? 'a decline'}, cited ${r.citations.join(' | ') || 'nothing'}`,
        );
    }
  }
} finally {
  await app.close();
}
