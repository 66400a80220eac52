import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page, type PageQuery } from '@cloop/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { DomainError } from './domain-error';
import { isUuid } from './identifiers';

/** A cursor as `toPage` writes it, for the API documentation. */
export const EXAMPLE_CURSOR =
  'WyIyMDI2LTExLTI4VDEwOjA1OjQyLjExOFoiLCJiM2UxZjRhMi02YzhkLTRlOWYtYTFiMi1jM2Q0ZTVmNmE3YjgiXQ';

/** Exactly what `toPage` writes, so the date is always one PostgreSQL can compare. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ example: EXAMPLE_CURSOR, description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** A position in a list ordered by (createdAt, id): stable even when rows share a timestamp. */
export interface Keyset {
  createdAt: Date;
  id: string;
}

export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (cursor === undefined) return null;
  const invalid = new DomainError(
    'VALIDATION_FAILED',
    'cursor is not valid; pass the nextCursor of the previous page',
  );
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parts) || parts.length !== 2) throw invalid;
  const [createdAt, id] = parts as unknown[];
  if (
    typeof createdAt !== 'string' ||
    !CURSOR_TIME.test(createdAt) ||
    typeof id !== 'string' ||
    !isUuid(id)
  ) {
    throw invalid;
  }
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) throw invalid;
  return { createdAt: date, id };
}

/** `rows` must hold up to `limit + 1` items: the extra one tells whether another page exists. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
  keysetOf: (row: Row) => Keyset,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const keyset = rows.length > limit && last ? keysetOf(last) : null;
  const nextCursor = keyset
    ? Buffer.from(JSON.stringify([keyset.createdAt.toISOString(), keyset.id])).toString('base64url')
    : null;
  return { items: pageRows.map(map), nextCursor };
}

export function pageLimit(query: PageQuery): number {
  return query.limit ?? DEFAULT_PAGE_LIMIT;
}
