import { Readable } from 'node:stream';

import { SITE_EXPORT_FORMAT, type SiteExportLine } from '@cloop/contracts';

import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import { siteExportedEntries } from './personal-data-registry';
import {
  type SiteBatch,
  type SiteExportedEntry,
  type SiteKeyset,
  siteKeyset,
} from './privacy-export.repository';

/** Where a site-wide export stands: a table, and the keyset of the last row sent from it. */
export interface SiteExportPosition {
  siteId: string;
  table: string;
  after: SiteKeyset;
}

const INVALID_CURSOR = 'cursor is not valid; pass the value of a cursor line of this site’s export';

/** The cursor names the site, so that one site's position is never applied to another's export. */
export function encodeSiteCursor(position: SiteExportPosition): string {
  return Buffer.from(JSON.stringify([position.siteId, position.table, position.after])).toString('base64url');
}

/** The position a cursor line named, checked value by value: a cursor is client input. */
export function decodeSiteCursor(cursor: string, siteId: string): SiteExportPosition {
  const invalid = new DomainError('VALIDATION_FAILED', INVALID_CURSOR);
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parts) || parts.length !== 3) throw invalid;
  const [site, table, after] = parts as unknown[];
  const entry = siteExportedEntries().find((candidate) => candidate.table === table);
  if (site !== siteId || !entry || !Array.isArray(after)) throw invalid;
  const columns = siteKeyset(entry);
  const valid =
    after.length === columns.length &&
    after.every((value: unknown, index) =>
      index === 0
        ? typeof value === 'string' && isUuid(value)
        : Number.isSafeInteger(value) && Number(value) > 0,
    );
  if (!valid) throw invalid;
  return { siteId, table: entry.table, after };
}

export interface SiteExportSource {
  /** The table's rows after `after`, batch by batch. */
  batches(entry: SiteExportedEntry, after: SiteKeyset | null): AsyncIterable<SiteBatch>;
}

/**
 * The site-wide export as NDJSON text. Memory holds one batch; the stream pulls the next only when
 * the client has taken the last (back-pressure). `onComplete` receives the row counts once the
 * last row is out, before the `end` line.
 */
export function siteExportStream(
  siteId: string,
  start: SiteExportPosition | null,
  source: SiteExportSource,
  onComplete: (counts: Record<string, number>) => Promise<void>,
): Readable {
  const line = (value: SiteExportLine) => `${JSON.stringify(value)}\n`;
  async function* chunks(): AsyncGenerator<string> {
    yield line({
      type: 'export',
      format: SITE_EXPORT_FORMAT,
      siteId,
      generatedAt: new Date().toISOString(),
      resumedFrom: start ? encodeSiteCursor(start) : null,
    });
    const entries = siteExportedEntries();
    const first = start ? entries.findIndex((entry) => entry.table === start.table) : 0;
    const counts: Record<string, number> = {};
    for (const [index, entry] of entries.entries()) {
      counts[entry.table] = 0;
      if (index < first) continue;
      const after = start && index === first ? start.after : null;
      for await (const batch of source.batches(entry, after)) {
        counts[entry.table] += batch.count;
        const cursor = batch.last
          ? encodeSiteCursor({ siteId, table: entry.table, after: batch.last })
          : null;
        yield `${batch.lines}\n${cursor ? line({ type: 'cursor', cursor }) : ''}`;
      }
    }
    await onComplete(counts);
    yield line({ type: 'end', counts });
  }
  return Readable.from(chunks(), { objectMode: false });
}
