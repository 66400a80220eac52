import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page, type PageQuery } from '@cloop/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { DomainError } from './domain-error';

export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
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
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof id !== 'string' || !UUID.test(id) || Number.isNaN(date.getTime()))
      throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new DomainError(
      'VALIDATION_FAILED',
      'cursor is not valid; pass the nextCursor of the previous page',
    );
  }
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
