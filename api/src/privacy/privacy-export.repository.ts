import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { type PersonalDataEntry, SUBJECT_PARAMETERS } from './personal-data-registry';

/** A registry entry the site-wide export shows. */
export type SiteExportedEntry = PersonalDataEntry & { siteExported: string[] };

/** The values of {@link siteKeyset}'s columns for one row. */
export type SiteKeyset = unknown[];

/** One batch of the site-wide export: NDJSON lines (no trailing newline), and where it ended. */
export interface SiteBatch {
  lines: string;
  count: number;
  last: SiteKeyset | null;
}

/**
 * The site-wide export's order within a table, each served by an index that starts with `site_id`:
 * `id`, or for rows of a conversation the walk's `(conversation, position in it)`. Each batch is
 * then one index range, whatever the size of the site or of other sites.
 */
export function siteKeyset(entry: PersonalDataEntry): string[] {
  return entry.walk ? entry.orderBy : ['id'];
}

export type ExportRow = Record<string, unknown>;

/**
 * Conversations per batch of a walk: enough to fill a batch with short conversations, few enough
 * that planning the array costs nothing next to reading the rows.
 */
const WALK_SLICE = 50;

/**
 * Reads a subject's rows for an export, batch by batch. Separate short queries rather than one
 * long transaction: the embedded database has one connection, and a long export must not hold it.
 * Table, column and condition names come only from the registry, never from a request.
 */
@Injectable()
export class PrivacyExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** All of the subject's rows of one entry, in export order, at most `limit` per batch. */
  exportBatches(entry: PersonalDataEntry, params: unknown[], limit: number): AsyncGenerator<ExportRow[]> {
    return entry.walk
      ? this.walkBatches(entry, entry.walk, params, limit)
      : this.keysetBatches(entry, params, limit);
  }

  private async *keysetBatches(
    entry: PersonalDataEntry,
    params: unknown[],
    limit: number,
  ): AsyncGenerator<ExportRow[]> {
    let after: ExportRow | null = null;
    for (;;) {
      const rows = await this.keysetBatch(entry, params, after, limit);
      yield rows;
      if (rows.length < limit) return;
      after = rows.at(-1) ?? null;
    }
  }

  /** One batch of the subject's rows in export order after `after` (the previous batch's last row). */
  private async keysetBatch(
    entry: PersonalDataEntry,
    params: unknown[],
    after: ExportRow | null,
    limit: number,
  ): Promise<ExportRow[]> {
    const columns = entry.exported ?? [];
    const keyset = entry.orderBy.join(', ');
    const afterValues = after ? entry.orderBy.map((column) => after[column]) : [];
    const placeholders = afterValues.map((_, index) => `$${params.length + index + 1}`).join(', ');
    const afterClause = after ? `AND (${keyset}) > (${placeholders})` : '';
    return await this.dataSource.query<ExportRow[]>(
      `WITH subject AS (SELECT ${SUBJECT_PARAMETERS[entry.subject]})
       SELECT ${columns.join(', ')} FROM ${entry.table}
        WHERE (${entry.where}) ${afterClause}
        ORDER BY ${keyset} LIMIT ${limit}`,
      [...params, ...afterValues],
    );
  }

  /**
   * The subject's conversations (`params[2]`, `$3`) in slices: each batch is given the next
   * {@link WALK_SLICE} conversations from where the last one stopped. A batch that fills up ends inside one of them
   * (the next slice starts there, after its last row); one that does not has finished its slice.
   */
  private async *walkBatches(
    entry: PersonalDataEntry,
    walk: NonNullable<PersonalDataEntry['walk']>,
    params: unknown[],
    limit: number,
  ): AsyncGenerator<ExportRow[]> {
    const conversationIds = params[2] as string[];
    let position = 0;
    let after: ExportRow | null = null;
    while (position < conversationIds.length) {
      const slice = conversationIds.slice(position, position + WALK_SLICE);
      const rows = await this.keysetBatch(entry, params.with(2, slice), after, limit);
      yield rows;
      const last = rows.at(-1);
      if (rows.length < limit || !last) {
        position += slice.length;
        after = null;
      } else {
        position += slice.indexOf(String(last[walk.conversation]));
        after = last;
      }
    }
  }

  /**
   * One table's rows of the whole site after `after` (the keyset of the last row sent, in the
   * order {@link siteKeyset} names), as NDJSON lines built by PostgreSQL: a batch reaches the
   * stream as one string, not as thousands of parsed rows.
   */
  async *siteBatches(
    entry: SiteExportedEntry,
    siteId: string,
    after: SiteKeyset | null,
    limit: number,
  ): AsyncGenerator<SiteBatch> {
    let keyset = after;
    for (;;) {
      const batch = await this.siteBatch(entry, siteId, keyset, limit);
      if (batch.count > 0) yield batch;
      if (batch.count < limit || !batch.last) return;
      keyset = batch.last;
    }
  }

  private async siteBatch(
    entry: SiteExportedEntry,
    siteId: string,
    after: SiteKeyset | null,
    limit: number,
  ): Promise<SiteBatch> {
    const keyset = siteKeyset(entry);
    const order = keyset.join(', ');
    const params: unknown[] = [siteId, ...(after ?? [])];
    const afterValues = (after ?? []).map((_, index) => `$${index + 2}`).join(', ');
    const columns = entry.siteExported.map((column) => `t.${column}`).join(', ');
    const rows = `SELECT ${columns} FROM ${entry.table} t
        WHERE t.site_id = $1 ${after ? `AND (${order}) > (${afterValues})` : ''}
        ORDER BY ${order} LIMIT ${limit}`;
    const prefix = JSON.stringify({ type: 'row', table: entry.table }).slice(0, -1);
    const [row] = await this.dataSource.query<
      { lines: string | null; count: number; last: unknown[] | null }[]
    >(
      `WITH batch AS (${rows})
       SELECT string_agg($${params.length + 1} || row_to_json(batch)::text || '}', E'\n' ORDER BY ${order}) AS lines,
              count(*)::int AS count,
              (SELECT json_build_array(${order}) FROM batch
                ORDER BY ${keyset.map((column) => `${column} DESC`).join(', ')} LIMIT 1) AS last
         FROM batch`,
      [...params, `${prefix},"data":`],
    );
    return { lines: row?.lines ?? '', count: row?.count ?? 0, last: row?.last ?? null };
  }
}
