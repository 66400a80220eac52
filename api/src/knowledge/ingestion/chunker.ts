import type { Block } from './blocks';

export interface Chunk {
  /** The headings above the text, outermost first ("Shipping › Returns"). */
  heading: string;
  content: string;
}

export interface ChunkOptions {
  /** Target length of a chunk in characters. */
  size: number;
  /** Characters of a paragraph repeated at the start of the next chunk when a cut falls inside it. */
  overlap: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { size: 900, overlap: 150 };

/**
 * Splits a document into chunks that never straddle two sections: each chunk carries its heading
 * path, so a passage about "Returns" under "Shipping" can be found by either word. Within a
 * section, chunks end at paragraph ends; a code block stays whole when it fits in a chunk. Only a
 * paragraph longer than a chunk is cut, at sentence ends, with an overlap so that a fact split by
 * the cut is whole in one chunk. Paragraphs are separated by a line break in the chunk's text, and
 * code sits between ``` fences of its own, as in Markdown.
 */
export function chunkBlocks(blocks: Block[], options: ChunkOptions = DEFAULT_CHUNKING): Chunk[] {
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let section: Block[] = [];
  const flush = (): void => {
    const heading = path.map((entry) => entry.text).join(' › ');
    for (const content of packSection(section, options)) chunks.push({ heading, content });
    section = [];
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      flush();
      while (path.length > 0 && (path.at(-1)?.level ?? 0) >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
    } else {
      section.push(block);
    }
  }
  flush();
  return chunks;
}

function packSection(blocks: Block[], options: ChunkOptions): string[] {
  const pieces = blocks.flatMap((block) =>
    block.kind === 'code'
      ? splitCode(block.text, options.size).map((code) => `\`\`\`\n${code}\n\`\`\``)
      : splitParagraph(block.text.trim(), options),
  );
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (!piece) continue;
    if (current.length > 0 && length + 1 + piece.length > options.size) {
      // A paragraph that introduces code ("…as in the example below:") goes on with its code: alone
      // it answers nothing, and the code alone loses what it shows.
      const intro = piece.startsWith('```') ? current.at(-1) : undefined;
      const carried = intro && introducesCode(intro) && intro.length <= INTRO_MAX ? [intro] : [];
      const kept = current.slice(0, current.length - carried.length);
      if (kept.length > 0) chunks.push(kept.join('\n'));
      current = carried;
      length = carried[0]?.length ?? 0;
    }
    length += (current.length > 0 ? 1 : 0) + piece.length;
    current.push(piece);
  }
  if (current.length > 0) chunks.push(current.join('\n'));
  return chunks;
}

/** Longest paragraph carried over to the next chunk with the code it introduces. */
const INTRO_MAX = 300;

function introducesCode(text: string): boolean {
  return !text.startsWith('```') && text.trimEnd().endsWith(':');
}

/** A paragraph that fits is one piece; a longer one is cut at sentence ends, with an overlap. */
function splitParagraph(text: string, { size, overlap }: ChunkOptions): string[] {
  if (text.length <= size) return [text];
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+|\n|$)\s*/g) ?? [text];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences.flatMap((s) => hardSplit(s, size))) {
    if (current && current.length + sentence.length > size) {
      pieces.push(current.trim());
      current = tail(current, overlap);
    }
    current += sentence;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

/** Code longer than a chunk is cut between lines, never inside one. */
function splitCode(code: string, size: number): string[] {
  if (code.length <= size) return [code];
  const parts: string[] = [];
  let part = '';
  for (const line of code.split('\n').flatMap((l) => hardSplit(l, size))) {
    if (part && part.length + 1 + line.length > size) {
      parts.push(part);
      part = '';
    }
    part = part ? `${part}\n${line}` : line;
  }
  if (part) parts.push(part);
  return parts;
}

/** A "sentence" longer than a chunk (a table, a list without stops) is cut at word ends. */
function hardSplit(sentence: string, size: number): string[] {
  if (sentence.length <= size) return [sentence];
  const words = sentence.split(/(?<=\s)/);
  const parts: string[] = [];
  let part = '';
  for (const word of words) {
    if (part && part.length + word.length > size) {
      parts.push(part);
      part = '';
    }
    part += word;
  }
  if (part) parts.push(part);
  return parts;
}

/** The last `length` characters of a chunk, starting at a word. */
function tail(text: string, length: number): string {
  if (length <= 0) return '';
  const start = text.length - length;
  if (start <= 0) return text;
  const space = text.indexOf(' ', start);
  return space === -1 ? '' : text.slice(space + 1);
}
