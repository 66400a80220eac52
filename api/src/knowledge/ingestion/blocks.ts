/**
 * A document reduced to what indexing needs: headings, the prose under them and code, in order.
 * Code is kept apart from prose so that a `#` comment in a shell snippet never becomes a heading
 * and a snippet is never cut at a dot.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string };

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
