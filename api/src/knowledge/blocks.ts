/** A document reduced to what indexing needs: headings and the text under them, in order. */
export type Block = { kind: 'heading'; level: number; text: string } | { kind: 'text'; text: string };

export interface ExtractedDocument {
  title: string;
  blocks: Block[];
}

/** Collapses runs of whitespace: extracted text keeps words, not layout. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Plain text: paragraphs separated by blank lines, no headings. */
export function plainTextDocument(title: string, text: string): ExtractedDocument {
  return {
    title,
    blocks: text
      .split(/\n\s*\n/)
      .map(cleanText)
      .filter(Boolean)
      .map((paragraph) => ({ kind: 'text', text: paragraph })),
  };
}

/** Markdown: `#` headings and paragraphs; inline markup is kept as text (it reads fine). */
export function markdownDocument(fallbackTitle: string, markdown: string): ExtractedDocument {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    const text = cleanText(paragraph.join(' '));
    if (text) blocks.push({ kind: 'text', text });
    paragraph = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading?.[1] && heading[2]) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1].length, text: cleanText(heading[2]) });
    } else if (line.trim() === '') {
      flush();
    } else {
      paragraph.push(line.replace(/^\s*(?:[-*+]|\d+\.)\s+/, ''));
    }
  }
  flush();
  const firstHeading = blocks.find((block) => block.kind === 'heading');
  return { title: firstHeading?.text ?? fallbackTitle, blocks };
}
