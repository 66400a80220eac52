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
  /** Whether rows may follow: the batch stopped at its row or byte limit, not at the table's end. */
  more: boolean;
}

/**
 * The site-wide export's order within a table, each served by an index that starts with `site_id`:
 * `id`, or for rows of a conversation the walk's `(conversation, position in it)`. Each batch is
 * then one index range, whatever the size of the site or of other sites.
 */
export function siteKeyset(entry: PersonalDataEntry): string[] {
  return entry.walk ? entry.orderBy : ['id'];
}

/** One batch of an export: its rows as JSON text (comma-separated objects), and where it ended. */
export interface ExportBatch {
  json: string;
  count: number;
  /** The last row's `orderBy` values (the next batch's keyset); `null` for an empty batch. */
  last: unknown[] | null;
}

/**
 * A column as the JSON of the parsed row had it: the driver gives timestamps as dates (which
 * `JSON.stringify` writes in UTC with milliseconds) and 64-bit integers and decimals as strings.
 */
function jsonValue(column: string, type: string | undefined): string {
  if (type === 'timestamp with time zone') {
    return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  return type === 'bigint' || type === 'numeric' ? `${column}::text` : column;
}

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
  /** Column types per table (the schema changes only with a migration, at boot). */
  private readonly types = new Map<string, Map<string, string>>();

  constructor(private readonly dataSource: DataSource) {}

  /** All of the subject's rows of one entry, in export order, at most `limit` per batch. */
  exportBatches(entry: PersonalDataEntry, params: unknown[], limit: number): AsyncGenerator<ExportBatch> {
    return entry.walk
      ? this.walkBatches(entry, entry.walk, params, limit)
      : this.keysetBatches(entry, params, limit);
  }

  private async *keysetBatches(
    entry: PersonalDataEntry,
    params: unknown[],
    limit: number,
  ): AsyncGenerator<ExportBatch> {
    let after: unknown[] | null = null;
    for (;;) {
      const batch = await this.keysetBatch(entry, params, after, limit);
      yield batch;
      if (batch.count < limit || !batch.last) return;
      after = batch.last;
    }
  }

  /**
   * One batch of the subject's rows in export order after `after` (the previous batch's last
   * keyset), as the JSON text of its rows, built by PostgreSQL: what `JSON.stringify` made of the
   * parsed rows (timestamps as `toISOString` writes them, 64-bit integers as strings, as the
   * driver gives them), without parsing thousands of rows in Node.
   */
  private async keysetBatch(
    entry: PersonalDataEntry,
    params: unknown[],
    after: unknown[] | null,
    limit: number,
  ): Promise<ExportBatch> {
    const types = await this.columnTypes(entry.table);
    const columns = (entry.exported ?? []).map(
      (column) => `${jsonValue(column, types.get(column))} AS ${column}`,
    );
    const keyset = entry.orderBy.join(', ');
    const keysetAliases = entry.orderBy.map((_, index) => `export_key_${index}`);
    const placeholders = (after ?? []).map((_, index) => `$${params.length + index + 1}`).join(', ');
    const afterClause = after ? `AND (${keyset}) > (${placeholders})` : '';
    const [row] = await this.dataSource.query<
      { json: string | null; count: number; last: unknown[] | null }[]
    >(
      `WITH subject AS (SELECT ${SUBJECT_PARAMETERS[entry.subject]}),
       batch AS (
         SELECT ${entry.orderBy.map((column, index) => `${column} AS ${keysetAliases[index]}`).join(', ')},
                ${columns.join(', ')}
           FROM ${entry.table}
          WHERE (${entry.where}) ${afterClause}
          ORDER BY ${keyset} LIMIT ${limit})
       SELECT string_agg(row_to_json(r)::text, ',' ORDER BY ${keysetAliases.map((alias) => `batch.${alias}`).join(', ')}) AS json,
              count(*)::int AS count,
              (SELECT json_build_array(${keysetAliases.join(', ')}) FROM batch
                ORDER BY ${keysetAliases.map((alias) => `${alias} DESC`).join(', ')} LIMIT 1) AS last
         FROM batch, LATERAL (SELECT ${(entry.exported ?? []).map((column) => `batch.${column}`).join(', ')}) r`,
      [...params, ...(after ?? [])],
    );
    return { json: row?.json ?? '', count: row?.count ?? 0, last: row?.last ?? null };
  }

  /** The type of each column of a table, read once from the catalogue. */
  private async columnTypes(table: string): Promise<Map<string, string>> {
    let types = this.types.get(table);
    if (!types) {
      const rows = await this.dataSource.query<{ column_name: string; data_type: string }[]>(
        `SELECT column_name, data_type FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1`,
        [table],
      );
      types = new Map(rows.map((row) => [row.column_name, row.data_type]));
      this.types.set(table, types);
    }
    return types;
  }

  /**
   * The subject's conversations (`params[2]`, `$3`) in slices: each batch is given the next
   * {@link WALK_SLICE} conversations from where the last one stopped. A batch that fills up ends
   * inside one of them (the next slice starts there, after its last row); one that does not has
   * finished its slice.
   */
  private async *walkBatches(
    entry: PersonalDataEntry,
    walk: NonNullable<PersonalDataEntry['walk']>,
    params: unknown[],
    limit: number,
  ): AsyncGenerator<ExportBatch> {
    const conversationIds = params[2] as string[];
    const conversationKey = entry.orderBy.indexOf(walk.conversation);
    let position = 0;
    let after: unknown[] | null = null;
    while (position < conversationIds.length) {
      const slice = conversationIds.slice(position, position + WALK_SLICE);
      const batch = await this.keysetBatch(entry, params.with(2, slice), after, limit);
      yield batch;
      if (batch.count < limit || !batch.last) {
        position += slice.length;
        after = null;
      } else {
        position += slice.indexOf(String(batch.last[conversationKey]));
        after = batch.last;
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
    limit: { rows: number; bytes: number },
  ): AsyncGenerator<SiteBatch> {
    let keyset = after;
    for (;;) {
      const batch = await this.siteBatch(entry, siteId, keyset, limit);
      if (batch.count > 0) yield batch;
      if (!batch.more || !batch.last) return;
      keyset = batch.last;
    }
  }

  private async siteBatch(
    entry: SiteExportedEntry,
    siteId: string,
    after: SiteKeyset | null,
    limit: { rows: number; bytes: number },
  ): Promise<SiteBatch> {
    const keyset = siteKeyset(entry);
    const order = keyset.join(', ');
    const params: unknown[] = [siteId, ...(after ?? [])];
    const afterValues = (after ?? []).map((_, index) => `$${index + 2}`).join(', ');
    const types = await this.columnTypes(entry.table);
    const columns = entry.siteExported
      .map((column) => `${jsonValue(`t.${column}`, types.get(column))} AS ${column}`)
      .join(', ');
    // A batch ends at `limit.rows` rows or once its rows hold `limit.bytes` (their JSON is about as
    // long), so long messages never make it big. The byte cap is applied over the fetched rows
    // only: a window function beside the LIMIT would read the whole site.
    // Text by its length unpacked (`octet_length` reads it from the TOAST header: no decompression),
    // other columns as stored; a message compressed tenfold still counts its full length.
    const rowBytes = entry.siteExported
      .map((column) =>
        ['text', 'character varying'].includes(types.get(column) ?? '')
          ? `coalesce(octet_length(t.${column}), 0)`
          : `coalesce(pg_column_size(t.${column}), 0)`,
      )
      .join(' + ');
    const fetched = `SELECT ${columns}, ${rowBytes} AS row_bytes FROM ${entry.table} t
        WHERE t.site_id = $1 ${after ? `AND (${order}) > (${afterValues})` : ''}
        ORDER BY ${order} LIMIT ${limit.rows}`;
    const exported = entry.siteExported.map((column) => `b.${column}`).join(', ');
    const prefix = JSON.stringify({ type: 'row', table: entry.table }).slice(0, -1);
    const [row] = await this.dataSource.query<
      { lines: string | null; count: number; fetched: number; last: unknown[] | null }[]
    >(
      `WITH fetched AS (${fetched}),
       batch AS (
         SELECT * FROM (
           SELECT f.*, sum(f.row_bytes) OVER (ORDER BY ${order} ROWS UNBOUNDED PRECEDING) - f.row_bytes AS bytes_before
             FROM fetched f) sized
          WHERE bytes_before < ${limit.bytes})
       SELECT string_agg($${params.length + 1} || row_to_json(r)::text || '}', E'\n' ORDER BY ${keyset.map((column) => `b.${column}`).join(', ')}) AS lines,
              count(*)::int AS count,
              (SELECT count(*)::int FROM fetched) AS fetched,
              (SELECT json_build_array(${order}) FROM batch
                ORDER BY ${keyset.map((column) => `${column} DESC`).join(', ')} LIMIT 1) AS last
         FROM batch b, LATERAL (SELECT ${exported}) r`,
      [...params, `${prefix},"data":`],
    );
    const count = row?.count ?? 0;
    const fetchedCount = row?.fetched ?? 0;
    return {
      lines: row?.lines ?? '',
      count,
      last: row?.last ?? null,
      more: fetchedCount === limit.rows || count < fetchedCount,
    };
  }
}
