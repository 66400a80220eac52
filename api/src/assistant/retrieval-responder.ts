import type { Citation, Passage } from '@cloop/contracts';

import { asksForContact } from '../conversations/contact-request';
import { CONFIDENT_SCORE, type KnowledgeService } from '../knowledge/knowledge.service';
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

const PASSAGES_CONSIDERED = 3;
/** A second passage joins the answer when it is nearly as relevant as the best one. */
const SECOND_PASSAGE_RATIO = 0.75;
const EXCERPT_LENGTH = 600;

/**
 * The default assistant: answers with the best passages of the site's own content and cites them;
 * when nothing relevant is found it says so plainly and offers the email form or a person,
 * instead of guessing. Needs no model and no network.
 */
export class RetrievalResponder extends Responder {
  constructor(private readonly knowledge: KnowledgeService) {
    super();
  }

  async *respond(input: ResponderInput): AsyncIterable<ResponderChunk> {
    const text = TEXT[languageOf(input)];
    if (asksForContact(input.message.body)) {
      yield* words(input.conversation.hasEmail ? text.contactKnown : text.contactWithForm);
      yield { type: 'done', citations: [], confidence: null, fromKnowledge: false };
      return;
    }
    const passages = await this.knowledge.search(input.site.id, input.message.body, PASSAGES_CONSIDERED);
    const best = passages[0];
    if (!best || best.score < CONFIDENT_SCORE) {
      const offer = input.conversation.hasEmail ? text.askPerson : text.leaveEmail;
      yield* words(text.notFound + offer);
      yield { type: 'done', citations: [], confidence: best?.score ?? 0, fromKnowledge: false };
      return;
    }
    const used = [
      best,
      ...passages
        .slice(1)
        .filter((p) => p.score >= best.score * SECOND_PASSAGE_RATIO)
        .slice(0, 1),
    ];
    yield* words([text.found, ...used.map((passage) => excerpt(passage.content))].join('\n\n'));
    yield { type: 'done', citations: citationsOf(used), confidence: best.score, fromKnowledge: true };
  }
}

/** Word by word, as a model would stream it: the widget renders both the same way. */
async function* words(answer: string): AsyncIterable<ResponderChunk> {
  for (const word of answer.match(/\S+\s*/g) ?? []) {
    await Promise.resolve();
    yield { type: 'delta', text: word };
  }
}

/** The passage up to a sentence end near the length limit. */
function excerpt(content: string): string {
  if (content.length <= EXCERPT_LENGTH) return content;
  const cut = content.slice(0, EXCERPT_LENGTH);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return end > EXCERPT_LENGTH / 2 ? cut.slice(0, end + 1) : `${cut.trimEnd()}…`;
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
