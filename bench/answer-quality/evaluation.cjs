// The answer-quality evaluation shared by `bench/answer-quality.mjs` and
// `api/test/answer-quality.int-spec.ts`: the corpus and questions, the plain BM25 baseline, the run
// through the product's HTTP API, and the figures. CommonJS so that both the plain-Node bench and
// the ts-jest test can load it without a build step.
'use strict';

const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const CORPUS_DIR = join(__dirname, 'corpus');
const QUESTIONS_FILE = join(__dirname, 'questions.json');

// A common English stop-word list (the same words for questions, headings and passages).
const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most ' +
    'my myself no nor not now of off on once only or other our ours ourselves out over own same she ' +
    'should so some such than that the their theirs them themselves then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with ' +
    'would you your yours yourself yourselves get got use using used want need make also may might must ' +
    "shall i'm it's don't doesn't can't isn't"
  ).split(' '),
);

/** Lower-case words and numbers, stop words and one-letter tokens left out. */
function tokenize(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (token) => token.length > 1 && !STOP_WORDS.has(token),
  );
}

/** "limits"/"limit", "retries"/"retry", "connection"/"connecting": treated as one word. */
function sameWord(a, b) {
  const stem = (word) => word.replace(/(ies|es|s|ing|ed)$/, (end) => (end === 'ies' ? 'y' : ''));
  if (a === b || stem(a) === stem(b)) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 4 && long.startsWith(short)) return true;
  let common = 0;
  while (common < short.length && short[common] === long[common]) common += 1;
  return common >= 6;
}

/** True when the question shares no content word with the heading of the answering section. */
function isParaphrase(question, heading) {
  const headingWords = tokenize(heading);
  return !tokenize(question).some((word) => headingWords.some((other) => sameWord(word, other)));
}

/** Lower-cased with runs of whitespace made one space: how replies are matched against phrases. */
function normalise(text) {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function containsPhrase(reply, phrase) {
  return normalise(reply).includes(normalise(phrase));
}

/** The documents of the manifest, with their text. */
function loadCorpus(dir = CORPUS_DIR) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return manifest.documents.map((entry) => ({ ...entry, text: readFileSync(join(dir, entry.file), 'utf8') }));
}

/**
 * The questions, checked against the corpus: each answerable one's phrase and heading are in its
 * document, and none of an unanswerable one's tell-tale terms occurs anywhere in the corpus.
 */
function loadQuestions(corpus = loadCorpus(), file = QUESTIONS_FILE) {
  const { questions } = JSON.parse(readFileSync(file, 'utf8'));
  const byFile = new Map(corpus.map((document) => [document.file, document]));
  const everything = normalise(corpus.map((document) => document.text).join('\n'));
  const ids = new Set();
  return questions.map((question) => {
    if (ids.has(question.id)) throw new Error(`question ${question.id} appears twice`);
    ids.add(question.id);
    if (question.half !== 'tune' && question.half !== 'heldout')
      throw new Error(`question ${question.id}: half must be tune or heldout`);
    if (question.document === null) {
      const found = question.absentTerms.filter((term) => everything.includes(normalise(term)));
      if (question.absentTerms.length === 0 || found.length > 0)
        throw new Error(`unanswerable question ${question.id}: the corpus contains ${found.join(', ')}`);
      return { ...question, answerable: false, paraphrase: false };
    }
    const document = byFile.get(question.document);
    if (!document) throw new Error(`question ${question.id}: no document ${question.document}`);
    if (!containsPhrase(document.text, question.answer))
      throw new Error(`question ${question.id}: "${question.answer}" is not in ${question.document}`);
    if (!document.text.includes(question.heading))
      throw new Error(`question ${question.id}: no heading "${question.heading}" in ${question.document}`);
    return { ...question, answerable: true, paraphrase: isParaphrase(question.question, question.heading) };
  });
}

// ---------------------------------------------------------------------------------------------
// The baseline: plain Okapi BM25 over passages cut at headings and paragraphs.

const PASSAGE_CHARS = 1000;

/** Sections at Markdown headings (not at `#` lines inside code fences), long ones cut at blank lines. */
function splitPassages(file, text) {
  const sections = [];
  let heading = '';
  let lines = [];
  let fenced = false;
  const flush = () => {
    if (lines.join('').trim()) sections.push({ heading, body: lines.join('\n') });
    lines = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const match = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (match) {
      flush();
      heading = match[1].trim();
    } else lines.push(line);
  }
  flush();
  const passages = [];
  for (const { heading: sectionHeading, body } of sections) {
    let current = '';
    for (const paragraph of body.split(/\n\s*\n/)) {
      if (current && current.length + paragraph.length > PASSAGE_CHARS) {
        passages.push({ document: file, heading: sectionHeading, text: current.trim() });
        current = '';
      }
      current += `${paragraph}\n\n`;
    }
    if (current.trim()) passages.push({ document: file, heading: sectionHeading, text: current.trim() });
  }
  return passages;
}

class Bm25 {
  constructor(passages, { k1 = 1.2, b = 0.75 } = {}) {
    this.k1 = k1;
    this.b = b;
    this.passages = passages.map((passage) => {
      const frequencies = new Map();
      const tokens = tokenize(`${passage.heading}\n${passage.text}`);
      for (const token of tokens) frequencies.set(token, (frequencies.get(token) ?? 0) + 1);
      return { ...passage, frequencies, length: tokens.length };
    });
    this.averageLength = this.passages.reduce((sum, p) => sum + p.length, 0) / this.passages.length;
    this.documentFrequency = new Map();
    for (const passage of this.passages)
      for (const token of passage.frequencies.keys())
        this.documentFrequency.set(token, (this.documentFrequency.get(token) ?? 0) + 1);
  }

  idf(token) {
    const n = this.documentFrequency.get(token) ?? 0;
    return Math.log(1 + (this.passages.length - n + 0.5) / (n + 0.5));
  }

  /** The best passages for the query, best first. */
  search(query, limit = 10) {
    const terms = [...new Set(tokenize(query))];
    const scored = [];
    for (const passage of this.passages) {
      let score = 0;
      for (const term of terms) {
        const tf = passage.frequencies.get(term);
        if (!tf) continue;
        const norm = 1 - this.b + (this.b * passage.length) / this.averageLength;
        score += (this.idf(term) * tf * (this.k1 + 1)) / (tf + this.k1 * norm);
      }
      if (score > 0) scored.push({ passage, score });
    }
    scored.sort((x, y) => y.score - x.score);
    return scored.slice(0, limit);
  }
}

function buildBaseline(corpus) {
  return new Bm25(corpus.flatMap((document) => splitPassages(document.file, document.text)));
}

/** The baseline's answer to each question: its reply is the best passage; it never declines. */
function runBaseline(baseline, questions) {
  return questions.map((question) => {
    const started = process.hrtime.bigint();
    const hits = baseline.search(question.question, 30);
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const best = hits[0];
    const documents = distinct(hits.map((hit) => hit.passage.document)).slice(0, 3);
    return outcome(question, {
      declined: !best,
      first: best ? [best.passage.document] : [],
      top3: documents,
      reply: best ? best.passage.text : '',
      latencyMs,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The product: uploads through the knowledge API, questions through the widget API.

const ORIGIN = 'https://docs.example';

/** An HTTP client for a running Cloop at `base` (e.g. `http://127.0.0.1:3000`). */
function client(base) {
  return async function request(method, path, { headers = {}, body, form } = {}) {
    const response = await fetch(base + path, {
      method,
      headers: form ? headers : { 'content-type': 'application/json', ...headers },
      body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/**
 * Uploads every document of the corpus as Markdown to the site and waits until each is indexed.
 * Returns how to tell documents apart in citations (by title) and in search results (by source).
 */
async function uploadCorpus(request, { auth, siteId }, corpus) {
  const fileBySource = new Map();
  const filesByTitle = new Map();
  for (const document of corpus) {
    const form = new FormData();
    form.append('file', new Blob([document.text], { type: 'text/markdown' }), document.file);
    const source = await request('POST', `/api/v1/sites/${siteId}/knowledge/uploads`, {
      headers: auth,
      form,
    });
    let detail = await request('GET', `/api/v1/sites/${siteId}/knowledge/sources/${source.id}`, {
      headers: auth,
    });
    for (let waited = 0; detail.status === 'queued' || detail.status === 'running'; waited += 100) {
      if (waited > 60_000) throw new Error(`${document.file} was not indexed within a minute`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      detail = await request('GET', `/api/v1/sites/${siteId}/knowledge/sources/${source.id}`, {
        headers: auth,
      });
    }
    if (detail.status !== 'ready' || detail.chunkCount === 0)
      throw new Error(`${document.file} was not indexed: ${detail.status} ${detail.error ?? ''}`);
    fileBySource.set(source.id, document.file);
    for (const title of new Set(detail.documents.map((d) => d.title))) {
      filesByTitle.set(title, [...(filesByTitle.get(title) ?? []), document.file]);
    }
  }
  return { fileBySource, filesByTitle };
}

/**
 * The documents a citation can name: those whose title it starts with ("Title — Section"). A title
 * two documents share names both, which counts as a miss: the visitor cannot tell them apart.
 */
function citedFiles(citation, filesByTitle) {
  let best = null;
  for (const [title, files] of filesByTitle) {
    const matches = citation.title === title || citation.title.startsWith(`${title} — `);
    if (matches && (!best || title.length > best.title.length)) best = { title, files };
  }
  return best ? best.files : [];
}

/**
 * Asks every question as a new widget visitor (each from its own address, so no per-visitor or
 * per-IP limit is met), waits for the assistant's reply, and asks the search API for the top 3.
 */
async function runProduct(request, { auth, site }, uploaded, questions, { onProgress } = {}) {
  const results = [];
  for (const [index, question] of questions.entries()) {
    const visitor = {
      'X-Cloop-Site-Key': site.publicKey,
      'X-Cloop-Visitor': randomUUID(),
      Origin: site.allowedOrigins[0] ?? ORIGIN,
      'X-Forwarded-For': `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
    };
    const started = process.hrtime.bigint();
    const sent = await request('POST', '/api/v1/widget/messages', {
      headers: visitor,
      body: { id: randomUUID(), body: question.question },
    });
    const reply = await awaitReply(request, visitor, sent.seq);
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const { passages } = await request('POST', `/api/v1/sites/${site.id}/knowledge/search`, {
      headers: auth,
      body: { query: question.question },
    });
    const cited = reply.citations[0] ? citedFiles(reply.citations[0], uploaded.filesByTitle) : [];
    results.push(
      outcome(question, {
        declined: reply.citations.length === 0,
        first: cited,
        top3: distinct(passages.map((p) => uploaded.fileBySource.get(p.sourceId))).slice(0, 3),
        reply: reply.body,
        latencyMs,
        citations: reply.citations.map((c) => c.title),
      }),
    );
    onProgress?.(index + 1, questions.length);
  }
  return results;
}

/** Polls the visitor's catch-up route (every 5 ms) until the assistant's message arrives. */
async function awaitReply(request, visitor, afterSeq) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { items } = await request('GET', `/api/v1/widget/messages?after=${afterSeq}`, { headers: visitor });
    const answer = items.find((message) => message.author === 'assistant');
    if (answer) return answer;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the assistant did not reply within 30 s');
}

// ---------------------------------------------------------------------------------------------
// Figures.

function distinct(values) {
  return [...new Set(values.filter((value) => value !== undefined))];
}

function outcome(question, { declined, first, top3, reply, latencyMs, citations }) {
  const expected = question.document;
  return {
    id: question.id,
    half: question.half,
    answerable: question.answerable,
    paraphrase: question.paraphrase,
    question: question.question,
    expected,
    top1: question.answerable && !declined && first.length === 1 && first[0] === expected,
    // Cited by a title the expected document shares with another: a miss, but worth counting.
    ambiguous: question.answerable && first.length > 1 && first.includes(expected),
    top3: question.answerable && top3.includes(expected),
    phrase: question.answerable && !declined && containsPhrase(reply, question.answer),
    declined,
    latencyMs,
    got: first,
    top3Documents: top3,
    reply,
    ...(citations ? { citations } : {}),
  };
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Shares (0–1) over the answerable and unanswerable questions of one set of results. */
function figures(results) {
  const answerable = results.filter((r) => r.answerable);
  const unanswerable = results.filter((r) => !r.answerable);
  const share = (list, key) => (list.length ? list.filter((r) => r[key]).length / list.length : null);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    top1: share(answerable, 'top1'),
    top3: share(answerable, 'top3'),
    phrase: share(answerable, 'phrase'),
    declined: share(unanswerable, 'declined'),
    falseDeclines: share(answerable, 'declined'),
    latencyP50: percentile(
      results.map((r) => r.latencyMs),
      50,
    ),
    latencyP95: percentile(
      results.map((r) => r.latencyMs),
      95,
    ),
  };
}

/** Figures per half and overall. */
function summarise(results) {
  return {
    tune: figures(results.filter((r) => r.half === 'tune')),
    heldout: figures(results.filter((r) => r.half === 'heldout')),
    overall: figures(results),
  };
}

function table(rows, halves = ['tune', 'heldout', 'overall']) {
  const percent = (value) => (value === null ? '–' : `${(value * 100).toFixed(0)}%`);
  const ms = (value) => (value === null ? '–' : `${value.toFixed(1)} ms`);
  const header = [
    '',
    'half',
    'answerable',
    'top-1',
    'top-3',
    'phrase',
    'declined (unansw.)',
    'false declines',
    'p50',
    'p95',
  ];
  const lines = [];
  for (const { name, summary } of rows)
    for (const half of halves) {
      const f = summary[half];
      lines.push([
        name,
        half,
        `${f.answerable} + ${f.unanswerable}`,
        percent(f.top1),
        percent(f.top3),
        percent(f.phrase),
        percent(f.declined),
        percent(f.falseDeclines),
        ms(f.latencyP50),
        ms(f.latencyP95),
      ]);
    }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join(
    '\n',
  );
}

module.exports = {
  CORPUS_DIR,
  QUESTIONS_FILE,
  ORIGIN,
  tokenize,
  isParaphrase,
  containsPhrase,
  loadCorpus,
  loadQuestions,
  splitPassages,
  Bm25,
  buildBaseline,
  runBaseline,
  client,
  uploadCorpus,
  citedFiles,
  runProduct,
  figures,
  summarise,
  table,
};
