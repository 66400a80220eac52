import { type HTMLElement, parse } from 'node-html-parser';

import { type Block, cleanText, type ExtractedDocument } from './blocks';
import { documentTitle } from './document-title';

export interface HtmlDocument extends ExtractedDocument {
  /** Every `href` of the page, as written (resolve against the page URL). */
  links: string[];
  /** `<meta name="robots">` asks search engines, and so us, not to index or follow the page. */
  noindex: boolean;
  nofollow: boolean;
}

/** Page furniture that is not the page's content: navigation, banners, cookie notices, menus. */
const NOT_CONTENT = [
  'script, style, noscript, template, svg, nav, header, footer, aside, form, iframe, button, dialog',
  '[role="navigation"], [role="banner"], [role="contentinfo"], [role="dialog"], [role="alertdialog"]',
  '[aria-hidden="true"], [hidden]',
].join(', ');
/** Class or id words of boxes that are not content, whatever element they are built from. */
const FURNITURE =
  /(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|banner|navbar|nav|menu|breadcrumbs?|sidebar|toc|footer|skip-link|newsletter|share|social)(?:$|[\s_-])/i;
const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td, th, dt, dd, figcaption, summary';

/** The main text of a page, as headings and paragraphs, with its title and links. */
export function htmlDocument(html: string, fallbackTitle: string): HtmlDocument {
  const root = parse(html, { blockTextElements: { pre: true } });
  const robots = (root.querySelector('meta[name="robots" i]')?.getAttribute('content') ?? '').toLowerCase();
  const links = root
    .querySelectorAll('a[href]')
    .map((anchor) => anchor.getAttribute('href') ?? '')
    .filter(Boolean);
  const ownTitle =
    cleanText(root.querySelector('title')?.text ?? '') || cleanText(root.querySelector('h1')?.text ?? '');
  const title = documentTitle(ownTitle || null, fallbackTitle);
  for (const element of root.querySelectorAll(NOT_CONTENT)) element.remove();
  for (const element of root.querySelectorAll('[class], [id]')) {
    const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
    if (FURNITURE.test(names) && !element.querySelector('main, article')) element.remove();
  }
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
    if (tag === 'pre') {
      const code = element.text.replace(/^\n+|\s+$/g, '');
      if (code) blocks.push({ kind: 'code', text: code });
      continue;
    }
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
