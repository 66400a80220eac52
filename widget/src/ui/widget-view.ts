import { MESSAGE_MAX_LENGTH } from '../core/contract-constants';
import type { ChatSession } from '../core/session';
import type { ChatState, ChatStore } from '../core/store';
import { accentColors } from './colors';
import { downloadJson } from './download';
import { externalLink, h, icon, ICONS, safeHttpUrl } from './dom';
import { trapTab } from './focus';
import { fill, type Texts } from './i18n';
import { type Bubble, MessageList, renderDraft } from './message-list';
import { STYLES } from './styles';

export interface ViewOptions {
  root: ShadowRoot;
  store: ChatStore;
  session: ChatSession;
  texts: Texts;
  /** Called whenever the visitor opens or closes the panel (remembered for the tab). */
  onToggle: (open: boolean) => void;
  /** Errors of UI handlers end here, never in the host page. */
  guard: <A extends unknown[]>(handler: (...args: A) => unknown) => (...args: A) => void;
}

/** Launcher and panel inside the shadow root, redrawn from the store. */
export class WidgetView {
  private isOpen = false;
  private readonly o: ViewOptions;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly menuButton: HTMLButtonElement;
  private readonly menu: HTMLElement;
  private readonly list: MessageList;
  private readonly drafts = h('div', { class: 'drafts' });
  private readonly scroller: HTMLElement;
  private readonly typing = h('div', { class: 'typing', 'aria-live': 'polite' });
  private readonly banner: HTMLElement;
  private readonly notice = h('div', { class: 'notice', role: 'status' });
  private readonly confirm: HTMLElement;
  private readonly contact: HTMLFormElement;
  private readonly thanks = h('div', { class: 'notice', role: 'status', hidden: true });
  private readonly input: HTMLTextAreaElement;
  private readonly name = h('h2', { class: 'name', id: 'cloop-title' });

  constructor(options: ViewOptions) {
    this.o = options;
    const { texts, guard } = options;
    const button = (props: Record<string, string>, ...children: (Node | null)[]) =>
      h('button', { type: 'button', ...props }, ...children);

    this.launcher = button({ class: 'launcher', 'aria-label': texts.open, 'aria-expanded': 'false' });
    this.launcher.append(icon(ICONS.chat));
    this.launcher.addEventListener(
      'click',
      guard(() => this.open()),
    );

    this.menuButton = button({ class: 'icon', 'aria-label': texts.menu, 'aria-haspopup': 'true' });
    this.menuButton.append(icon(ICONS.more));
    this.menuButton.addEventListener(
      'click',
      guard(() => this.toggleMenu(this.menu.hidden)),
    );
    const close = button({ class: 'icon', 'aria-label': texts.close });
    close.append(icon(ICONS.close));
    close.addEventListener(
      'click',
      guard(() => this.close()),
    );

    this.menu = h('div', { class: 'menu', hidden: true });
    const header = h(
      'header',
      {},
      h('div', { class: 'title' }, this.name, h('div', { class: 'ai', text: texts.aiNotice })),
      this.menuButton,
      close,
    );

    const retry = button({ text: texts.retry });
    retry.addEventListener(
      'click',
      guard(() => options.session.retry()),
    );
    this.banner = h('div', { class: 'banner', role: 'alert', hidden: true }, h('span'), retry);

    const yes = button({ class: 'danger', text: texts.confirm });
    const no = button({ class: 'plain', text: texts.cancel });
    yes.addEventListener(
      'click',
      guard(() => this.erase()),
    );
    no.addEventListener(
      'click',
      guard(() => this.showConfirm(false)),
    );
    this.confirm = h(
      'div',
      { class: 'confirm', role: 'alertdialog', 'aria-label': texts.erase, hidden: true },
      h('span', { text: texts.confirmErase }),
      h('div', { class: 'row' }, yes, no),
    );

    const email = h('input', {
      type: 'email',
      required: true,
      autocomplete: 'email',
      id: 'cloop-email',
      maxlength: 254,
    });
    this.contact = h(
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
    this.contact.addEventListener(
      'submit',
      guard(async (event: Event) => {
        event.preventDefault();
        await this.act(() => options.session.leaveContact(email.value.trim()));
      }),
    );

    this.list = new MessageList(
      h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': texts.messages }),
      { texts, assistantName: '', retry: (id) => void options.session.outbox.retry(id) },
    );
    this.scroller = h('div', { class: 'scroll' }, this.list.element, this.drafts);

    this.input = h('textarea', {
      id: 'cloop-input',
      rows: 1,
      maxlength: MESSAGE_MAX_LENGTH,
      placeholder: texts.placeholder,
    });
    const compose = h(
      'form',
      { class: 'compose' },
      h('label', { class: 'sr', for: 'cloop-input', text: texts.messageLabel }),
      this.input,
      h('button', { class: 'primary', type: 'submit', text: texts.send }),
    );
    compose.addEventListener(
      'submit',
      guard((event: Event) => this.submit(event)),
    );
    this.input.addEventListener(
      'keydown',
      guard((event: KeyboardEvent) => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) this.submit(event);
      }),
    );
    this.input.addEventListener(
      'input',
      guard(() => options.session.typing()),
    );

    this.panel = h(
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
        this.menu,
        this.scroller,
        this.typing,
        this.banner,
        this.notice,
        this.confirm,
        this.contact,
        this.thanks,
        compose,
      ),
    );
    this.panel.addEventListener(
      'keydown',
      guard((event: KeyboardEvent) => this.onKey(event)),
    );

    const wrapper = h('div', { class: 'w' }, this.launcher, this.panel);
    options.root.append(adoptStyles(options.root), wrapper);
    options.store.subscribe(guard(() => this.render(wrapper)));
    this.render(wrapper);
  }

  /** `focus` is false when the panel is restored on page load: the page keeps its own focus. */
  open(focus = true): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.o.onToggle(true);
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    if (focus) this.input.focus();
    this.scrollToEnd();
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.o.onToggle(false);
    this.toggleMenu(false);
    this.showConfirm(false);
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
  }

  private submit(event: Event): void {
    event.preventDefault();
    const body = this.input.value.trim();
    if (!body) return;
    this.input.value = '';
    this.o.store.update({ notice: null });
    void this.o.session.send(body).catch(() => undefined);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Tab') trapTab(event, this.panel, this.o.root);
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (!this.menu.hidden) {
      this.toggleMenu(false);
      this.menuButton.focus();
    } else if (!this.confirm.hidden) {
      this.showConfirm(false);
    } else {
      this.close();
    }
  }

  private toggleMenu(show: boolean): void {
    this.menu.hidden = !show;
    this.menuButton.setAttribute('aria-expanded', String(show));
    if (!show) return;
    const { texts, store, guard } = this.o;
    const download = h('button', { type: 'button', text: texts.download });
    download.addEventListener(
      'click',
      guard(() => this.download()),
    );
    const erase = h('button', { type: 'button', text: texts.erase });
    erase.addEventListener(
      'click',
      guard(() => this.showConfirm(true)),
    );
    const privacy = safeHttpUrl(store.state.config.widget.privacyUrl);
    this.menu.replaceChildren(download, erase, privacy ? externalLink(privacy, texts.privacyNotice) : '');
    download.focus();
  }

  private showConfirm(show: boolean): void {
    this.toggleMenu(false);
    this.confirm.hidden = !show;
    if (show) this.confirm.querySelector<HTMLButtonElement>('.plain')?.focus();
    else if (this.isOpen) this.input.focus();
  }

  private async download(): Promise<void> {
    this.toggleMenu(false);
    await this.act(async () => {
      const data = await this.o.session.exportData();
      if (data) downloadJson(this.o.root, data, 'cloop-my-data.json');
      this.o.store.update({ notice: data ? 'exported' : 'nothing-stored' });
    });
    this.input.focus();
  }

  private async erase(): Promise<void> {
    this.confirm.hidden = true;
    await this.act(async () => {
      const erased = await this.o.session.erase();
      if (!erased) this.o.store.update({ notice: 'nothing-stored' });
    });
    this.input.focus();
  }

  /** Runs a visitor action; a failure becomes a notice instead of an error in the host page. */
  private async act(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch {
      this.o.store.update({ notice: 'action-failed' });
    }
  }

  private render(wrapper: HTMLElement): void {
    const state = this.o.store.state;
    const { texts } = this.o;
    const { widget } = state.config;
    const colors = accentColors(widget.color);
    wrapper.className = widget.position === 'bottom-left' ? 'w left' : 'w';
    wrapper.style.setProperty('--a', colors.accent);
    wrapper.style.setProperty('--on', colors.onAccent);
    this.name.textContent = widget.assistantName;

    const bubbles: Bubble[] = widget.greeting ? [{ kind: 'greeting', text: widget.greeting }] : [];
    for (const message of state.messages) bubbles.push({ kind: 'message', message });
    for (const pending of state.pending) bubbles.push({ kind: 'pending', pending });
    this.list.context.assistantName = widget.assistantName;
    const atEnd = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
    this.list.render(bubbles);
    this.drafts.replaceChildren(
      ...[...state.drafts.values()].map((text) => renderDraft(widget.assistantName, text)),
    );
    this.typing.textContent = state.typing
      ? fill(texts.typing, { name: state.typing === 'agent' ? texts.agent : widget.assistantName })
      : '';

    this.banner.hidden = state.problem === null;
    (this.banner.firstChild as HTMLElement).textContent =
      state.problem === 'offline' ? texts.offline : texts.unavailable;
    this.notice.hidden = state.notice === null;
    this.notice.textContent = noticeText(state, texts);
    this.renderContact(state);
    if (atEnd) this.scrollToEnd();
  }

  private renderContact(state: ChatState): void {
    const conversation = state.conversation;
    const wanted =
      conversation?.phase === 'requesting_contact' ||
      (state.config.leadCapture && state.messages.some((message) => message.author !== 'visitor'));
    const email = conversation?.email ?? null;
    this.contact.hidden = email !== null || !wanted;
    this.thanks.hidden = email === null;
    this.thanks.textContent = email === null ? '' : fill(this.o.texts.emailSaved, { email });
  }

  private scrollToEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}

function noticeText(state: ChatState, texts: Texts): string {
  switch (state.notice) {
    case 'erased':
      return texts.erased;
    case 'nothing-stored':
      return texts.nothingStored;
    case 'exported':
      return texts.exported;
    case 'action-failed':
      return texts.actionFailed;
    case null:
      return '';
  }
}

/**
 * A constructed stylesheet where the browser has them: host pages whose Content-Security-Policy
 * forbids inline styles (no `'unsafe-inline'`) still get a styled widget. Elsewhere, a `<style>`.
 */
function adoptStyles(root: ShadowRoot): Node | string {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
    return '';
  } catch {
    return h('style', { text: STYLES });
  }
}
