import { type HTMLElement, parse } from 'node-html-parser';

import { type Block, cleanText, type ExtractedDocument } from './blocks';

export interface HtmlDocument extends ExtractedDocument {
  /** Every `href` of the page, as written (resolve against the page URL). */
  links: string[];
  /** `<meta name="robots">` asks search engines, and so us, not to index or follow the page. */
  noindex: boolean;
  nofollow: boolean;
}

/** Page furniture that is not the page's content. */
const NOT_CONTENT = 'script, style, noscript, template, svg, nav, header, footer, aside, form, iframe';
const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td, th, dt, dd, figcaption, summary';

/** The main text of a page, as headings and paragraphs, with its title and links. */
export function htmlDocument(html: string, fallbackTitle: string): HtmlDocument {
  const root = parse(html, { blockTextElements: { pre: true } });
  const robots = (root.querySelector('meta[name="robots" i]')?.getAttribute('content') ?? '').toLowerCase();
  const links = root
    .querySelectorAll('a[href]')
    .map((anchor) => anchor.getAttribute('href') ?? '')
    .filter(Boolean);
  const title =
    cleanText(root.querySelector('title')?.text ?? '') ||
    cleanText(root.querySelector('h1')?.text ?? '') ||
    fallbackTitle;
  for (const element of root.querySelectorAll(NOT_CONTENT)) element.remove();
  const main = root.querySelector('main, article, [role="main"]') ?? root.querySelector('body') ?? root;
  return {
    title,
    blocks: contentBlocks(main),
    links,
    noindex: robots.includes('noindex') || robots.includes('none'),
    nofollow: robots.includes('nofollow') || robots.includes('none'),
  };
}

function contentBlocks(main: HTMLElement): Block[] {
  const elements = main.querySelectorAll(BLOCKS);
  const blocks: Block[] = [];
  for (const element of elements) {
    const tag = element.tagName.toLowerCase();
    const heading = /^h([1-6])$/.exec(tag);
    // The innermost blocks only: a list item holding paragraphs is read through its paragraphs.
    if (!heading && element.querySelector(BLOCKS)) continue;
    const text = cleanText(element.text);
    if (!text) continue;
    blocks.push(heading?.[1] ? { kind: 'heading', level: Number(heading[1]), text } : { kind: 'text', text });
  }
  if (blocks.length === 0) {
    const text = cleanText(main.text);
    if (text) blocks.push({ kind: 'text', text });
  }
  return blocks;
}
