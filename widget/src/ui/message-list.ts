import type { Message } from '@cloop/contracts';

import type { PendingMessage } from '../core/store';
import { externalLink, h, safeHttpUrl } from './dom';
import type { Texts } from './i18n';

/** One bubble: a stored message, one waiting to be sent, or the greeting. */
export type Bubble =
  | { kind: 'message'; message: Message }
  | { kind: 'pending'; pending: PendingMessage }
  | { kind: 'greeting'; text: string };

export interface BubbleContext {
  texts: Texts;
  assistantName: string;
  retry(id: string): void;
}

/**
 * Keeps a list element in step with the bubbles, touching only what changed: the list is an
 * `aria-live` log, and re-inserting unchanged messages would make screen readers read them again.
 */
export class MessageList {
  readonly #rendered = new Map<string, { signature: string; element: HTMLElement }>();

  constructor(
    readonly element: HTMLElement,
    readonly context: BubbleContext,
  ) {}

  render(bubbles: Bubble[]): void {
    const keep = new Set<string>();
    let previous: Element | null = null;
    for (const bubble of bubbles) {
      const key = keyOf(bubble);
      keep.add(key);
      const signature = JSON.stringify([bubble, this.context.assistantName]);
      let entry = this.#rendered.get(key);
      if (!entry || entry.signature !== signature) {
        const element = renderBubble(bubble, this.context);
        if (entry) entry.element.replaceWith(element);
        entry = { signature, element };
        this.#rendered.set(key, entry);
      }
      const expected: Element | null = previous
        ? previous.nextElementSibling
        : this.element.firstElementChild;
      if (expected !== entry.element) this.element.insertBefore(entry.element, expected);
      previous = entry.element;
    }
    for (const [key, entry] of this.#rendered) {
      if (keep.has(key)) continue;
      entry.element.remove();
      this.#rendered.delete(key);
    }
  }
}

function keyOf(bubble: Bubble): string {
  if (bubble.kind === 'message') return bubble.message.id;
  if (bubble.kind === 'pending') return bubble.pending.id;
  return 'greeting';
}

/** Every piece of text goes in as text: message bodies are never parsed as HTML. */
function renderBubble(bubble: Bubble, context: BubbleContext): HTMLElement {
  const { texts } = context;
  if (bubble.kind === 'greeting') return renderDraft(context.assistantName, bubble.text);
  if (bubble.kind === 'pending') {
    const { pending } = bubble;
    // Each state is the key of its text.
    const state = texts[pending.state];
    const retry = pending.state === 'failed' ? h('button', { type: 'button', text: texts.retry }) : null;
    retry?.addEventListener('click', () => context.retry(pending.id));
    return h(
      'div',
      { class: 'msg visitor', 'aria-busy': pending.state !== 'failed' },
      h('span', { class: 'sr', text: `${texts.you}: ` }),
      h('span', { text: pending.body }),
      h('div', { class: 'meta' }, h('span', { text: state }), retry),
    );
  }
  const { message } = bubble;
  const name =
    message.author === 'visitor'
      ? null
      : message.author === 'agent'
        ? (message.authorName ?? texts.agent)
        : context.assistantName;
  // A titled link per source; one without a usable http(s) address is named, not linked.
  const links = message.citations.map(({ title, url }) => {
    const href = safeHttpUrl(url);
    return href ? externalLink(href, title || href) : h('span', { text: title });
  });
  return h(
    'div',
    { class: `msg ${message.author}` },
    name === null ? h('span', { class: 'sr', text: `${texts.you}: ` }) : who(name),
    h('span', { text: message.body }),
    links.length > 0
      ? h('div', { class: 'sources' }, h('span', { class: 'sr', text: `${texts.sources}: ` }), ...links)
      : null,
  );
}

function who(name: string): HTMLElement {
  return h('span', { class: 'who', text: name });
}

/**
 * An assistant bubble that is not a stored message: the greeting, or an answer still streaming
 * (drawn outside the live log, so screen readers hear it once, when stored).
 */
export function renderDraft(name: string, text: string): HTMLElement {
  return h('div', { class: 'msg assistant' }, who(name), h('span', { text }));
}
