import type { WidgetLanguage } from '@cloop/contracts';

import { MESSAGE_MAX_LENGTH } from '../core/contract-constants';
import type { ChatSession } from '../core/session';
import type { ChatStore } from '../core/store';
import type { Guard } from '../guard';
import { accentColors } from './colors';
import { ContactForm } from './contact-form';
import { h, icon, ICONS } from './dom';
import { downloadJson } from './download';
import { trapTab } from './focus';
import { fill, type Texts } from './i18n';
import { type Bubble, MessageList, renderDraft } from './message-list';
import { PrivacyMenu } from './privacy-menu';
import { chime } from './sound';
import { adoptStyles } from './styles';

export interface ViewOptions {
  root: ShadowRoot;
  store: ChatStore;
  session: ChatSession;
  texts: Texts;
  /** The widget's language: picks the site's greeting and header for it. */
  lang: WidgetLanguage;
  /** Called whenever the visitor opens or closes the panel (remembered for the tab). */
  onToggle: (open: boolean) => void;
  /** Errors of UI handlers end here, never in the host page. */
  guard: Guard;
}

/** Launcher and panel inside the shadow root, redrawn from the store. */
export class WidgetView {
  #isOpen = false;
  readonly #o: ViewOptions;
  readonly #launcher: HTMLButtonElement;
  readonly #panel: HTMLElement;
  readonly #privacy: PrivacyMenu;
  readonly #contact: ContactForm;
  readonly #list: MessageList;
  readonly #drafts = h('div', { class: 'drafts' });
  readonly #scroller: HTMLElement;
  readonly #typing = h('div', { class: 'typing', 'aria-live': 'polite' });
  readonly #banner: HTMLElement;
  readonly #notice = h('div', { class: 'notice', role: 'status' });
  readonly #input: HTMLTextAreaElement;
  readonly #name = h('h2', { class: 'name', id: 'cloop-title' });
  readonly #badge = h('span', { class: 'badge', 'aria-hidden': 'true' });
  /** The latest unread reply, beside the closed launcher; announced, and a click opens the panel. */
  readonly #preview = h('button', { class: 'preview', type: 'button', 'aria-live': 'polite' });
  /** The highest unread seq already announced (and chimed); `-1` until the history has loaded. */
  #heard = -1;

  constructor(options: ViewOptions) {
    this.#o = options;
    const { texts, guard, session, store } = options;
    const on = <E extends Event>(target: EventTarget, type: string, handler: (event: E) => unknown) =>
      target.addEventListener(type, guard(handler as (event: Event) => unknown));
    const button = (props: Record<string, string>) => h('button', { type: 'button', ...props });

    this.#launcher = button({ class: 'launcher', 'aria-label': texts.open, 'aria-expanded': 'false' });
    this.#launcher.append(icon(ICONS.chat), this.#badge);
    on(this.#launcher, 'click', () => this.open());
    on(this.#preview, 'click', () => this.open());

    this.#privacy = new PrivacyMenu({
      texts,
      guard,
      privacyUrl: () => store.state.config.widget.privacyUrl,
      download: () => void this.#act(() => this.#download()),
      erase: () => void this.#act(() => this.#erase()),
      done: () => this.#isOpen && this.#input.focus(),
    });
    const close = button({ class: 'icon', 'aria-label': texts.close });
    close.append(icon(ICONS.close));
    on(close, 'click', () => this.close());
    const header = h(
      'header',
      {},
      h('div', { class: 'title' }, this.#name, h('div', { class: 'ai', text: texts.aiNotice })),
      this.#privacy.button,
      close,
    );

    const retry = button({ text: texts.retry });
    on(retry, 'click', () => session.retry());
    this.#banner = h('div', { class: 'banner', role: 'alert', hidden: true }, h('span'), retry);

    this.#contact = new ContactForm(
      texts,
      guard,
      (email) => void this.#act(() => session.leaveContact(email)),
      () => store.update({}),
    );

    this.#list = new MessageList(
      h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': texts.messages }),
      { texts, assistantName: '', retry: (id) => void session.outbox.retry(id) },
    );
    this.#scroller = h('div', { class: 'scroll' }, this.#list.element, this.#drafts);

    this.#input = h('textarea', {
      id: 'cloop-input',
      rows: 1,
      maxlength: MESSAGE_MAX_LENGTH,
      placeholder: texts.placeholder,
    });
    const compose = h(
      'form',
      { class: 'compose' },
      h('label', { class: 'sr', for: 'cloop-input', text: texts.messageLabel }),
      this.#input,
      h('button', { class: 'primary', type: 'submit', text: texts.send }),
    );
    on(compose, 'submit', (event) => this.#submit(event));
    on<KeyboardEvent>(this.#input, 'keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) this.#submit(event);
    });
    on(this.#input, 'input', () => session.typing());

    this.#panel = h(
      'div',
      {
        class: 'panel',
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': 'cloop-title',
        hidden: true,
      },
      header,
      h(
        'div',
        { class: 'body' },
        this.#privacy.menu,
        this.#scroller,
        this.#typing,
        this.#banner,
        this.#notice,
        this.#privacy.confirm,
        this.#contact.form,
        this.#contact.thanks,
        compose,
      ),
    );
    on<KeyboardEvent>(this.#panel, 'keydown', (event) => this.#onKey(event));

    const wrapper = h('div', { class: 'w' }, this.#preview, this.#launcher, this.#panel);
    options.root.append(adoptStyles(options.root), wrapper);
    store.subscribe(guard(() => this.#render(wrapper)));
    this.#render(wrapper);
  }

  /** `focus` is false when the panel is restored on page load: the page keeps its own focus. */
  open(focus = true): void {
    if (this.#isOpen) return;
    this.#isOpen = true;
    this.#o.onToggle(true);
    this.#panel.hidden = false;
    this.#launcher.hidden = true;
    this.#launcher.setAttribute('aria-expanded', 'true');
    if (focus) this.#input.focus();
    this.#scrollToEnd();
    this.#o.store.update({});
  }

  close(): void {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#o.onToggle(false);
    this.#privacy.reset();
    this.#panel.hidden = true;
    this.#launcher.hidden = false;
    this.#launcher.setAttribute('aria-expanded', 'false');
    this.#launcher.focus();
    this.#o.store.update({});
  }

  #submit(event: Event): void {
    event.preventDefault();
    const body = this.#input.value.trim();
    if (!body) return;
    this.#input.value = '';
    this.#o.store.update({ notice: null });
    void this.#o.session.send(body).catch(() => undefined);
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Tab') trapTab(event, this.#panel, this.#o.root);
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (!this.#privacy.escape()) this.close();
  }

  async #download(): Promise<void> {
    const data = await this.#o.session.exportData();
    if (data) downloadJson(this.#o.root, data, 'cloop-my-data.json');
    this.#o.store.update({ notice: data ? 'exported' : 'nothingStored' });
  }

  async #erase(): Promise<void> {
    if (!(await this.#o.session.erase())) this.#o.store.update({ notice: 'nothingStored' });
  }

  /** Runs a visitor action; a failure becomes a notice, and the focus returns to the message box. */
  async #act(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch {
      this.#o.store.update({ notice: 'actionFailed' });
    }
    if (this.#isOpen) this.#input.focus();
  }

  #render(wrapper: HTMLElement): void {
    const state = this.#o.store.state;
    const { texts, store, session } = this.#o;
    const { widget } = state.config;
    const colors = accentColors(widget.color);
    wrapper.className = widget.position === 'bottom-left' ? 'w left' : 'w';
    wrapper.style.setProperty('--a', colors.accent);
    wrapper.style.setProperty('--on', colors.onAccent);
    // The site's texts for this language, else its default ones.
    const own = widget.languages?.[this.#o.lang];
    const assistantName = own?.assistantName || widget.assistantName;
    const greeting = own?.greeting || widget.greeting;
    this.#name.textContent = assistantName;

    const bubbles: Bubble[] = greeting ? [{ kind: 'greeting', text: greeting }] : [];
    for (const message of state.messages) bubbles.push({ kind: 'message', message });
    for (const pending of state.pending) bubbles.push({ kind: 'pending', pending });
    this.#list.context.assistantName = assistantName;
    const atEnd = this.#scroller.scrollHeight - this.#scroller.scrollTop - this.#scroller.clientHeight < 40;
    this.#list.render(bubbles);
    this.#drafts.replaceChildren(
      ...[...state.drafts.values()].map((text) => renderDraft(assistantName, text)),
    );
    this.#typing.textContent = state.typing
      ? fill(texts.typing, { name: state.typing === 'agent' ? texts.agent : assistantName })
      : '';

    this.#banner.hidden = state.problem === null;
    (this.#banner.firstChild as HTMLElement).textContent =
      state.problem === 'offline' ? texts.offline : texts.unavailable;
    this.#notice.hidden = state.notice === null;
    this.#notice.textContent = state.notice ? texts[state.notice] : '';
    this.#contact.render(state);
    if (atEnd) this.#scrollToEnd();

    // Closed: replies the visitor has not seen show as a count and a preview of the latest.
    const { n, last } = store.unread();
    const latest = this.#isOpen ? null : last;
    const count = latest ? fill(texts.unread, { n: String(n) }) : '';
    this.#badge.textContent = latest ? String(n) : '';
    this.#badge.hidden = this.#preview.hidden = !latest;
    this.#launcher.setAttribute('aria-label', count ? `${texts.open}, ${count}` : texts.open);
    if (latest) {
      this.#preview.textContent = `${latest.author === 'agent' ? (latest.authorName ?? texts.agent) : assistantName}: ${latest.body}`;
      if (latest.seq > this.#heard && this.#heard >= 0 && widget.sound) chime();
    }
    if (state.active) this.#heard = Math.max(this.#heard, latest?.seq ?? 0);
    // Last: marking seen updates the store, which draws again with nothing unread.
    if (this.#isOpen) session.markSeen();
  }

  #scrollToEnd(): void {
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
  }
}
