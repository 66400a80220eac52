import type { ChatState } from '../core/store';
import { h } from './dom';
import type { Guard } from '../guard';
import { fill, type Texts } from './i18n';

/**
 * Email capture: shown inline when the site has lead capture on (once the chat has started), and
 * whenever the conversation asks for contact (the visitor asked for a person). Once an email is
 * known, a thank-you replaces the form.
 */
export class ContactForm {
  readonly form: HTMLFormElement;
  readonly thanks = h('div', { class: 'notice', role: 'status', hidden: true });

  constructor(
    private readonly texts: Texts,
    guard: Guard,
    submit: (email: string) => void,
  ) {
    const email = h('input', {
      type: 'email',
      required: true,
      autocomplete: 'email',
      id: 'cloop-email',
      maxlength: 254,
    });
    this.form = h(
      'form',
      { class: 'contact', hidden: true },
      h('label', { for: 'cloop-email', text: texts.emailPrompt }),
      h(
        'div',
        { class: 'row' },
        email,
        h('button', { class: 'primary', type: 'submit', text: texts.emailSave }),
      ),
    );
    this.form.addEventListener(
      'submit',
      guard((event: Event) => {
        event.preventDefault();
        submit(email.value.trim());
      }),
    );
  }

  render(state: ChatState): void {
    const conversation = state.conversation;
    const wanted =
      conversation?.phase === 'requesting_contact' ||
      (state.config.leadCapture && state.messages.some((message) => message.author !== 'visitor'));
    const email = conversation?.email ?? null;
    this.form.hidden = email !== null || !wanted;
    this.thanks.hidden = email === null;
    this.thanks.textContent = email === null ? '' : fill(this.texts.emailSaved, { email });
  }
}
