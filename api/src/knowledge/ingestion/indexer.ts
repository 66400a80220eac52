import { createHash } from 'node:crypto';

import type { ExtractedDocument } from './blocks';
import { type Chunk, chunkBlocks } from './chunker';
import { detectLanguage, type SearchLanguage } from '../language';

export interface IndexedContent {
  title: string;
  language: SearchLanguage;
  chunks: Chunk[];
  /** Identifies the extracted text: a recrawl that finds the same hash keeps the page as it is. */
  contentHash: string;
}

export function indexDocument(document: ExtractedDocument): IndexedContent {
  const chunks = chunkBlocks(document.blocks);
  const contentHash = createHash('sha256')
    .update(JSON.stringify([document.title, document.blocks]))
    .digest('hex');
  const language = detectLanguage(document.blocks.map((block) => block.text).join(' '));
  return { title: document.title, language, chunks, contentHash };
}
