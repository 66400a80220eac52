import type { Citation, Passage } from '@cloop/contracts';

import { asksForContact } from '../conversations/contact-request';
import {
  CONFIDENT_SCORE,
  confidenceOf,
  type KnowledgeSearch,
} from '../knowledge/retrieval/knowledge-search.service';
import { bestQuote, documentKey, type Quote, quoteText, unitsOf } from './extractive-answer';
import { Responder, type ResponderChunk, type ResponderInput } from './responder';

type Language = 'en' | 'fi';

const TEXT: Record<
  Language,
  {
    contactWithForm: string;
    contactKnown: string;
    found: string;
    notFound: string;
    leaveEmail: string;
    askPerson: string;
  }
> = {
  en: {
    contactWithForm:
      'Of course. Leave your email address in the form below and the team will get back to you.',
    contactKnown: 'Of course. The team will get back to you at the email address you left.',
    found: 'Here is what I found on this site:',
    notFound:
      "I'm sorry, I couldn't find an answer to that in this site's content, and I'd rather not guess.",
    leaveEmail: ' Leave your email address and the team will get back to you.',
    askPerson: ' The team can read this conversation, or you can ask to talk to a person.',
  },
  fi: {
    contactWithForm:
      'Totta kai. Jätä sähköpostiosoitteesi alla olevaan kenttään, niin tiimi ottaa sinuun yhteyttä.',
    contactKnown: 'Totta kai. Tiimi ottaa sinuun yhteyttä antamaasi sähköpostiosoitteeseen.',
    found: 'Löysin tältä sivustolta tämän:',
    notFound: 'Valitettavasti en löytänyt tähän vastausta tämän sivuston sisällöstä, enkä halua arvata.',
    leaveEmail: ' Jätä sähköpostiosoitteesi, niin tiimi ottaa yhteyttä.',
    askPerson: ' Tiimi näkee tämän keskustelun, tai voit pyytää päästä puhumaan ihmisen kanssa.',
  },
};

const PASSAGES_CONSIDERED = 20;
/** Passages of the best document whose sentences may be quoted. */
const DOCUMENT_PASSAGES = 10;
const CITATIONS_MAX = 2;
const SENTENCES_PER_CITATION = 3;
/**
 * Another document is quoted too when its passage covers at least this share of what the best one
 * covers: two documents answering nearly as well are both worth showing (two HTTP clients, two
 * loggers), and the visitor sees which one says what. Chosen on the tune half (at 1, the second
 * source had to cover at least as much).
 */
const SECOND_SOURCE_SHARE = 0.9;
/**
 * Which passage of the best document to quote weighs two kinds of evidence: how much of the
 * question its best sentences hold, and how well the whole passage ranks (BM25 sees all of it and
 * its headings, a quote only three sentences). A passage's quote counts in proportion to its BM25
 * score relative to the document's best, raised to this power: a passage ranked half as well must
 * quote about 40% more of the question.
 */
const PASSAGE_RANK_WEIGHT = 0.5;

/**
 * The default assistant: answers with the sentences of the site's own content that answer the
 * question, and cites where they come from; when the content does not cover the question it says
 * so plainly and offers the email form or a person, instead of guessing. Needs no model and no
 * network.
 */
export class RetrievalResponder extends Responder {
  constructor(private readonly knowledge: KnowledgeSearch) {
    super();
  }

  async *respond(input: ResponderInput): AsyncIterable<ResponderChunk> {
    const text = TEXT[languageOf(input)];
    if (asksForContact(input.message.body)) {
      yield* words(input.conversation.hasEmail ? text.contactKnown : text.contactWithForm);
      yield { type: 'done', citations: [], confidence: null, fromKnowledge: false };
      return;
    }
    const question = input.message.body;
    const passages = await this.knowledge.search(input.site.id, question, PASSAGES_CONSIDERED);
    const best = passages[0];
    const confidence = confidenceOf(passages);
    if (!best || confidence < CONFIDENT_SCORE) {
      const offer = input.conversation.hasEmail ? text.askPerson : text.leaveEmail;
      yield* words(text.notFound + offer);
      yield { type: 'done', citations: [], confidence, fromKnowledge: false };
      return;
    }
    const quotes = await this.quotes(input.site.id, question, passages, best);
    yield* words([text.found, ...quotes.map((quote) => quote.text)].join('\n\n'));
    yield {
      type: 'done',
      citations: citationsOf(quotes.map((quote) => quote.passage)),
      confidence,
      fromKnowledge: true,
    };
  }

  /**
   * What to quote: from the best passage's document, the passage whose sentences hold the most of
   * the question, weighed by its rank (`PASSAGE_RANK_WEIGHT`); then a second citation only from
   * another document that covers nearly as much of the question (`SECOND_SOURCE_SHARE`): a second
   * citation must add a source, never repeat a statement.
   */
  private async quotes(
    siteId: string,
    question: string,
    passages: Passage[],
    best: Passage,
  ): Promise<QuotedPassage[]> {
    const second = passages.find(
      (passage) =>
        documentKey(passage) !== documentKey(best) && passage.score >= best.score * SECOND_SOURCE_SHARE,
    );
    // The search chose the document; inside it, its passages ranked without the title's words.
    const inDocument = await this.knowledge.documentPassages(siteId, best, question, DOCUMENT_PASSAGES);
    const considered = [...(inDocument.length > 0 ? inDocument : [best]), ...(second ? [second] : [])];
    const units = considered.map((passage) => unitsOf(passage.content));
    // One query: each passage's document title and heading (they speak for each of its
    // sentences: "node-fetch › Handling cookies" → "Cookies are not stored by default"), then its units.
    const matches = await this.knowledge.questionMatches(
      siteId,
      question,
      considered.flatMap((passage, index) => [
        { text: `${passage.title}\n${passage.heading}`, passage },
        ...(units[index] ?? []).map((unit) => ({ text: unit.text, passage })),
      ]),
    );
    let offset = 0;
    const matched = units.map((list) => ({
      heading: matches.covered[offset++] ?? [],
      units: list.map((unit) => ({ ...unit, covered: matches.covered[offset++] ?? [] })),
    }));
    const quoteOf = (index: number, said: string[]) =>
      bestQuote(matched[index]?.units ?? [], matches.weights, {
        said,
        maxUnits: SENTENCES_PER_CITATION,
        context: matched[index]?.heading,
      });

    // Passages come best first: a later one is quoted instead only when its quote holds more of
    // the question in proportion to how much lower it ranks.
    const topRank = inDocument[0]?.rank ?? 0;
    let first: { passage: Passage; quote: Quote; weight: number } | null = null;
    for (const [index, passage] of considered.entries()) {
      if (passage === second) continue;
      const quote = quoteOf(index, []);
      const rank = inDocument[index]?.rank ?? topRank;
      const weight = quote
        ? quote.score * (topRank > 0 ? Math.max(rank, 0) / topRank : 1) ** PASSAGE_RANK_WEIGHT
        : 0;
      if (quote && (!first || weight > first.weight)) first = { passage, quote, weight };
    }
    const chosen: QuotedPassage[] = first
      ? [{ passage: first.passage, text: quoteText(first.quote.units) }]
      : // The question's words are only in the title or headings: the passage's opening says what it is.
        [
          {
            passage: considered[0] ?? best,
            text: quoteText((units[0] ?? []).filter((unit) => !unit.code).slice(0, 2)),
          },
        ];
    if (second && chosen.length < CITATIONS_MAX) {
      const said = first?.quote.units.map((unit) => unit.text) ?? [];
      const quote = quoteOf(considered.indexOf(second), said);
      if (quote) chosen.push({ passage: second, text: quoteText(quote.units) });
    }
    return chosen.filter((quote) => quote.text !== '');
  }
}

/** A passage and what to quote from it. */
interface QuotedPassage {
  passage: Passage;
  text: string;
}

/** Word by word, as a model would stream it: the widget renders both the same way. */
async function* words(answer: string): AsyncIterable<ResponderChunk> {
  for (const word of answer.match(/\S+\s*/g) ?? []) {
    await Promise.resolve();
    yield { type: 'delta', text: word };
  }
}

/** One citation per document; links only to http(s) pages. */
export function citationsOf(passages: Passage[]): Citation[] {
  const seen = new Set<string>();
  const citations: Citation[] = [];
  for (const passage of passages) {
    const url = passage.url && /^https?:\/\//i.test(passage.url) ? passage.url : null;
    const key = url ?? passage.title;
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push({ title: citationTitle(passage), url });
  }
  return citations;
}

/** "Shipping — Delivery times": the document, then the section, without saying the title twice. */
function citationTitle({ title, heading }: Passage): string {
  const section =
    heading === title ? '' : heading.startsWith(`${title} › `) ? heading.slice(title.length + 3) : heading;
  return section ? `${title} — ${section}` : title;
}

function languageOf(input: ResponderInput): Language {
  const configured = input.site.widget.locale;
  if (configured !== 'auto') return configured;
  return input.conversation.locale?.toLowerCase().startsWith('fi') ? 'fi' : 'en';
}
