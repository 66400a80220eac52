import type { Block } from './blocks';

export interface Chunk {
  /** The headings above the text, outermost first ("Shipping › Returns"). */
  heading: string;
  content: string;
}

export interface ChunkOptions {
  /** Target length of a chunk in characters. */
  size: number;
  /** Characters of the previous chunk repeated at the start of the next, within a section. */
  overlap: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { size: 900, overlap: 150 };

/**
 * Splits a document into chunks that never straddle two sections: each chunk carries its heading
 * path, so a passage about "Returns" under "Shipping" can be found by either word. Long sections
 * are cut at sentence ends, with an overlap so that a fact split by a cut is whole in one chunk.
 */
export function chunkBlocks(blocks: Block[], options: ChunkOptions = DEFAULT_CHUNKING): Chunk[] {
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let section: string[] = [];
  const flush = (): void => {
    const heading = path.map((entry) => entry.text).join(' › ');
    for (const content of splitSection(section.join('\n'), options)) chunks.push({ heading, content });
    section = [];
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      flush();
      while (path.length > 0 && (path.at(-1)?.level ?? 0) >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
    } else {
      section.push(block.text);
    }
  }
  flush();
  return chunks;
}

function splitSection(text: string, { size, overlap }: ChunkOptions): string[] {
  if (text.trim() === '') return [];
  if (text.length <= size) return [text.trim()];
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
