import { type Block, cleanText, type ExtractedDocument } from './blocks';
import { documentTitle } from './document-title';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)\s*$/;
const HTML_HEADING = /^\s*<h([1-6])\b[^>]*>(.*?)<\/h\1>\s*$/i;
const LINK_REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S+/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;
/** Text allowed above a title (a tagline, a line of badge text): more, and the `h1` is a section's. */
const TITLE_PREAMBLE = 200;
const THEMATIC_BREAK = /^ {0,3}(?:[-*_]\s*){3,}$/;
/** A collapsible section's summary (`<details><summary>Should I commit .env?</summary>`): an FAQ entry's question. */
const SUMMARY = /^\s*(?:<details\b[^>]*>\s*)?<summary\b[^>]*>(.*?)<\/summary>/i;

/**
 * Markdown read as a person reads it: headings (`#`, underlined, or HTML `<h1>`), paragraphs, list
 * items and table rows as prose, fenced code as code; a `<details>` section's `<summary>` heads what
 * it folds (READMEs write their FAQs so), one level below the heading it sits under. What only decorates a README is left out:
 * badges and images, raw HTML markup, link reference definitions, front matter, and tables of
 * contents (list items that only link to an anchor on the page). Links keep their text.
 */
export function markdownDocument(fileName: string, markdown: string): ExtractedDocument {
  const lines = withoutFrontMatter(markdown).split(/\r?\n/);
  const inlineText = inlineTextOf(referenceLabels(lines));
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  /** An underline under a list item is a thematic break, not a heading. */
  let paragraphIsListItem = false;
  let firstH1: string | null = null;
  /** The level of the heading the text is under (0 before any): a summary heads a subsection of it. */
  let level = 0;
  const flush = (): void => {
    const text = cleanText(paragraph.join(' '));
    if (text) blocks.push({ kind: 'text', text });
    paragraph = [];
    paragraphIsListItem = false;
  };
  const heading = (headingLevel: number, raw: string, summary = false): void => {
    flush();
    const text = cleanText(inlineText(raw).replace(/:[a-z0-9_+-]+:/g, ' '));
    if (!text) return;
    // A summary is a subsection of the heading it is under, and leaves that heading's level as is.
    if (!summary) level = headingLevel;
    inTable = false;
    // A title heads the document: an `h1` after the first heading or after prose is a section's.
    const first = !blocks.some((block) => block.kind === 'heading');
    const before = blocks.reduce((length, block) => length + block.text.length, 0);
    if (headingLevel === 1 && !summary && first && before < TITLE_PREAMBLE) firstH1 = text;
    blocks.push({ kind: 'heading', level: headingLevel, text });
  };

  /** After a table's separator row, until a blank line or a heading: lines with a pipe are rows. */
  let inTable = false;
  const row = (line: string): void => {
    const text = cleanText(
      inlineText(line)
        .replace(/^\s*\||\|\s*$/g, '')
        .replace(/\s*\|\s*/g, ' | '),
    );
    if (text.replace(/[|\s]/g, '')) blocks.push({ kind: 'text', text });
  };

  let inComment = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    if (/^\s*<!--/.test(line) && !line.includes('-->')) {
      flush();
      inComment = true;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence?.[1]) {
      flush();
      const code: string[] = [];
      const marker = fence[1];
      for (index += 1; index < lines.length; index += 1) {
        const inner = lines[index] ?? '';
        if (inner.trim().startsWith(marker[0]?.repeat(marker.length) ?? marker)) break;
        code.push(inner);
      }
      const text = code.join('\n').replace(/^\n+|\s+$/g, '');
      if (text) blocks.push({ kind: 'code', text });
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx?.[1] && atx[2] !== undefined) {
      heading(atx[1].length, atx[2]);
      continue;
    }
    const html = HTML_HEADING.exec(line);
    if (html?.[1] && html[2] !== undefined) {
      heading(Number(html[1]), html[2]);
      continue;
    }
    const summary = SUMMARY.exec(line);
    if (summary?.[1] !== undefined) {
      heading(Math.min(level + 1, 6), summary[1], true);
      const rest = line.slice(summary.index + summary[0].length);
      if (cleanText(inlineText(rest))) paragraph.push(inlineText(rest));
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline?.[1] && paragraph.length === 1 && !paragraphIsListItem) {
      const text = paragraph[0] ?? '';
      paragraph = [];
      heading(underline[1].startsWith('=') ? 1 : 2, text);
      continue;
    }
    if (TABLE_SEPARATOR.test(line) && line.includes('|')) {
      // A table's header row, when written without outer pipes, was read as prose: it is a row.
      const header = paragraph.at(-1);
      if (header?.includes('|')) {
        paragraph.pop();
        flush();
        row(header);
      }
      flush();
      inTable = true;
      continue;
    }
    if (line.trim() === '' || THEMATIC_BREAK.test(line) || TABLE_SEPARATOR.test(line)) {
      flush();
      inTable = false;
      continue;
    }
    if (LINK_REFERENCE_DEFINITION.test(line)) continue;
    const item = LIST_ITEM.exec(line);
    if (item?.[1] !== undefined) {
      flush();
      if (isAnchorLinkOnly(item[1])) continue;
      paragraph.push(inlineText(item[1]));
      paragraphIsListItem = true;
      continue;
    }
    // A table row, with or without outer pipes, reads as one line of its own: "option | default | meaning".
    if (/^\s*\|.*\|\s*$/.test(line) || (inTable && line.includes('|'))) {
      flush();
      row(line);
      continue;
    }
    const text = inlineText(line.replace(/^\s*>\s?/, ''));
    if (cleanText(text)) paragraph.push(text);
    else flush();
  }
  flush();
  return { title: documentTitle(firstH1, fileName), blocks };
}

function withoutFrontMatter(markdown: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(markdown);
  return match ? markdown.slice(match[0].length) : markdown;
}

/** A table-of-contents entry: nothing but a link to a heading of the same page. */
function isAnchorLinkOnly(text: string): boolean {
  return /^\s*\[[^\]]*\]\(#[^)]*\)\s*$/.test(text);
}

/** The labels of the document's link reference definitions (`[QueryFile]: https://…`), lower-cased. */
function referenceLabels(lines: string[]): Set<string> {
  const labels = new Set<string>();
  for (const line of lines) {
    const label = /^ {0,3}\[([^\]]+)\]:\s*\S+/.exec(line)?.[1];
    if (label) labels.add(label.trim().toLowerCase());
  }
  return labels;
}

/**
 * The words of a line: images and badges dropped, links reduced to their text, tags removed. A
 * bracketed label the document defines as a link reference (`see [QueryFile]`) is a link too.
 */
function inlineTextOf(labels: Set<string>): (line: string) => string {
  const shortcutLinks = (text: string) =>
    labels.size === 0
      ? text
      : text.replace(/\[([^\]]+)\](?![([:])/g, (whole, label: string) =>
          labels.has(label.trim().toLowerCase()) ? label : whole,
        );
  return (line) => shortcutLinks(inlineLinks(line));
}

function inlineLinks(line: string): string {
  return (
    line
      // A badge: an image inside a link.
      .replace(/\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)/g, ' ')
      .replace(/\[!\[[^\]]*\]\[[^\]]*\]\]\[[^\]]*\]/g, ' ')
      .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
      .replace(/!\[[^\]]*\]\[[^\]]*\]/g, ' ')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
      .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
  );
}
