import type { ChatState } from '../core/store';
import { h } from './dom';
import type { Guard } from '../guard';
import { fill, type Texts } from './i18n';

/**
 * Email capture: offered inline when the site has lead capture on (once the chat has started), and
 * whenever the conversation asks for contact (the visitor asked for a person). It folds away once
 * an email is given (a thank-you shows until the chat moves on) or the visitor says "not now" (for
 * this page: remembering it longer would take a storage key the policy does not have).
 */
export class ContactForm {
  readonly form: HTMLFormElement;
  readonly thanks = h('div', { class: 'notice', role: 'status', hidden: true });
  #dismissed = false;
  /** How many messages there were when the email was given in this page; `-1`: not given here. */
  #savedAt = -1;
  /** The email at the last render; `undefined` while no conversation is loaded. */
  #email: string | null | undefined;

  readonly #texts: Texts;

  constructor(texts: Texts, guard: Guard, submit: (email: string) => void, changed: () => void) {
    this.#texts = texts;
    const email = h('input', {
      type: 'email',
      required: true,
      autocomplete: 'email',
      id: 'cloop-email',
      maxlength: 254,
    });
    const later = h('button', { class: 'plain', type: 'button', text: texts.notNow });
    this.form = h(
      'form',
      { class: 'contact', hidden: true },
      h('label', { for: 'cloop-email', text: texts.emailPrompt }),
      h(
        'div',
        { class: 'row' },
        email,
        h('button', { class: 'primary', type: 'submit', text: texts.emailSave }),
        later,
      ),
    );
    this.form.addEventListener(
      'submit',
      guard((event: Event) => {
        event.preventDefault();
        submit(email.value.trim());
      }),
    );
    later.addEventListener(
      'click',
      guard(() => {
        this.#dismissed = true;
        changed();
      }),
    );
  }

  render(state: ChatState): void {
    const conversation = state.conversation;
    const wanted =
      conversation?.phase === 'requesting_contact' ||
      (state.config.leadCapture && state.messages.some((message) => message.author !== 'visitor'));
    const email = conversation?.email ?? null;
    // Given just now (not known from an earlier page): thank the visitor until the chat moves on.
    if (email !== null && this.#email === null) this.#savedAt = state.messages.length;
    this.#email = conversation ? email : undefined;
    this.form.hidden = email !== null || !wanted || this.#dismissed;
    this.thanks.hidden = email === null || this.#savedAt !== state.messages.length;
    this.thanks.textContent = email === null ? '' : fill(this.#texts.emailSaved, { email });
  }
}
