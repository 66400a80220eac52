import { Readable } from 'node:stream';

import type { PrivacyExport } from '@cloop/contracts';

import type { ExportBatch } from './privacy-export.repository';

export interface ExportSection {
  name: string;
  /** The section's rows, one bounded batch at a time. */
  batches: AsyncIterable<ExportBatch>;
}

/**
 * The export document as a stream of JSON text: memory holds one batch at a time whatever the
 * subject's history, and `onComplete` receives the row counts once the last byte is produced (not
 * when the client gave up halfway).
 */
export function exportDocumentStream(
  head: Omit<PrivacyExport, 'data'>,
  sections: ExportSection[],
  onComplete: (counts: Record<string, number>) => Promise<void>,
): Readable {
  async function* chunks(): AsyncGenerator<string> {
    const counts: Record<string, number> = {};
    yield `${JSON.stringify(head).slice(0, -1)},"data":{`;
    for (const [index, section] of sections.entries()) {
      yield `${index > 0 ? ',' : ''}${JSON.stringify(section.name)}:[`;
      let count = 0;
      for await (const batch of section.batches) {
        if (batch.count === 0) continue;
        yield `${count > 0 ? ',' : ''}${batch.json}`;
        count += batch.count;
      }
      counts[section.name] = count;
      yield ']';
    }
    await onComplete(counts);
    yield '}}';
  }
  return Readable.from(chunks(), { objectMode: false });
}
