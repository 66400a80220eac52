import { createHash } from 'node:crypto';

import type { ExtractedDocument } from './blocks';
import { type Chunk, chunkBlocks } from './chunker';

export interface IndexedContent {
  title: string;
  chunks: Chunk[];
  /** Identifies the extracted text: a recrawl that finds the same hash keeps the page as it is. */
  contentHash: string;
}

export function indexDocument(document: ExtractedDocument): IndexedContent {
  const chunks = chunkBlocks(document.blocks);
  const contentHash = createHash('sha256')
    .update(JSON.stringify([document.title, document.blocks]))
    .digest('hex');
  return { title: document.title, chunks, contentHash };
}
