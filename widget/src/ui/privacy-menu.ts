import { externalLink, h, icon, ICONS, safeHttpUrl } from './dom';
import type { Texts } from './i18n';
import type { Guard } from '../guard';

export interface PrivacyMenuOptions {
  texts: Texts;
  guard: Guard;
  privacyUrl: () => string | null;
  download: () => void;
  /** Called after the visitor confirmed. */
  erase: () => void;
  /** Focus goes back to the message box. */
  done: () => void;
}

/**
 * The visitor's own privacy actions in the panel header: download my data, delete my data (after
 * an inline confirmation), and the site's privacy notice.
 */
export class PrivacyMenu {
  readonly button: HTMLButtonElement;
  readonly menu = h('div', { class: 'menu', hidden: true });
  readonly confirm: HTMLElement;

  readonly #o: PrivacyMenuOptions;

  constructor(o: PrivacyMenuOptions) {
    this.#o = o;
    const { texts } = o;
    this.button = h('button', {
      type: 'button',
      class: 'icon',
      'aria-label': texts.menu,
      'aria-haspopup': 'true',
      'aria-expanded': 'false',
    });
    this.button.append(icon(ICONS.more));
    this.button.addEventListener(
      'click',
      o.guard(() => this.toggle(this.menu.hidden)),
    );

    const yes = h('button', { type: 'button', class: 'danger', text: texts.confirm });
    const no = h('button', { type: 'button', class: 'plain', text: texts.cancel });
    yes.addEventListener(
      'click',
      o.guard(() => {
        this.confirm.hidden = true;
        o.erase();
      }),
    );
    no.addEventListener(
      'click',
      o.guard(() => this.confirming(false)),
    );
    this.confirm = h(
      'div',
      { class: 'confirm', role: 'alertdialog', 'aria-label': texts.erase, hidden: true },
      h('span', { text: texts.confirmErase }),
      h('div', { class: 'row' }, yes, no),
    );
  }

  toggle(show: boolean): void {
    this.menu.hidden = !show;
    this.button.setAttribute('aria-expanded', String(show));
    if (!show) return;
    const { texts } = this.#o;
    const download = h('button', { type: 'button', text: texts.download });
    download.addEventListener(
      'click',
      this.#o.guard(() => {
        this.toggle(false);
        this.#o.download();
      }),
    );
    const erase = h('button', { type: 'button', text: texts.erase });
    erase.addEventListener(
      'click',
      this.#o.guard(() => this.confirming(true)),
    );
    const privacy = safeHttpUrl(this.#o.privacyUrl());
    this.menu.replaceChildren(download, erase, privacy ? externalLink(privacy, texts.privacyNotice) : '');
    download.focus();
  }

  confirming(show: boolean): void {
    this.toggle(false);
    this.confirm.hidden = !show;
    if (show) this.confirm.querySelector<HTMLButtonElement>('.plain')?.focus();
    else this.#o.done();
  }

  /** Escape closes the menu or the confirmation first; `false` when neither was open. */
  escape(): boolean {
    if (!this.menu.hidden) {
      this.toggle(false);
      this.button.focus();
      return true;
    }
    if (!this.confirm.hidden) {
      this.confirming(false);
      return true;
    }
    return false;
  }

  reset(): void {
    this.toggle(false);
    this.confirm.hidden = true;
  }
}
