import { asksForContact } from '../conversations/contact-request';
import { Responder, type ResponderChunk, type ResponderInput } from './responder';

type Language = 'en' | 'fi';

const TEXT: Record<
  Language,
  { contactWithForm: string; contactKnown: string; noKnowledge: string; leaveEmail: string }
> = {
  en: {
    contactWithForm:
      'Of course. Leave your email address in the form below and the team will get back to you.',
    contactKnown: 'Of course. The team will get back to you at the email address you left.',
    noKnowledge:
      "Thanks for your message! I can't answer from this site's content yet, but the team can read this conversation.",
    leaveEmail: ' Leave your email address and they will get back to you.',
  },
  fi: {
    contactWithForm:
      'Totta kai. Jätä sähköpostiosoitteesi alla olevaan kenttään, niin tiimi ottaa sinuun yhteyttä.',
    contactKnown: 'Totta kai. Tiimi ottaa sinuun yhteyttä antamaasi sähköpostiosoitteeseen.',
    noKnowledge:
      'Kiitos viestistäsi! En vielä osaa vastata tämän sivuston sisällön perusteella, mutta tiimi näkee tämän keskustelun.',
    leaveEmail: ' Jätä sähköpostiosoitteesi, niin he ottavat yhteyttä.',
  },
};

/**
 * The responder of an install without a knowledge base: it answers from the site's settings only,
 * honestly says it cannot answer yet, and offers the email form (always when asked for a person,
 * otherwise when the site has lead capture on).
 */
export class SettingsResponder extends Responder {
  async *respond(input: ResponderInput): AsyncIterable<ResponderChunk> {
    const text = TEXT[languageOf(input)];
    let answer: string;
    if (asksForContact(input.message.body)) {
      answer = input.conversation.hasEmail ? text.contactKnown : text.contactWithForm;
    } else {
      answer =
        text.noKnowledge + (input.site.leadCapture && !input.conversation.hasEmail ? text.leaveEmail : '');
    }
    // Word by word, as a model would stream it: the widget renders both the same way.
    for (const word of answer.match(/\S+\s*/g) ?? []) {
      await Promise.resolve();
      yield { type: 'delta', text: word };
    }
    yield { type: 'done', citations: [], confidence: 0, fromKnowledge: false };
  }
}

function languageOf(input: ResponderInput): Language {
  const configured = input.site.widget.locale;
  if (configured !== 'auto') return configured;
  return input.conversation.locale?.toLowerCase().startsWith('fi') ? 'fi' : 'en';
}
