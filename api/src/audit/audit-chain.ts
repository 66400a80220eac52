import { createHash } from 'node:crypto';

/** The `prev_hash` of an organization's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The part of an audit row its hash covers: everything but the hash itself. */
export interface ChainedFields {
  organizationId: string;
  seq: number;
  actorKind: string;
  actorUserId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
  prevHash: string;
}

/** SHA-256 over a canonical JSON array, so the hash does not depend on how jsonb orders keys. */
export function hashAuditEvent(fields: ChainedFields): string {
  const content = [
    fields.prevHash,
    fields.organizationId,
    fields.seq,
    fields.createdAt.toISOString(),
    fields.actorKind,
    fields.actorUserId,
    fields.action,
    fields.targetType,
    fields.targetId,
    canonical(fields.details),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export interface StoredChainRow extends ChainedFields {
  id: string;
  hash: string;
}

export interface ChainBreak {
  organizationId: string;
  id: string;
  seq: number;
  reason: 'hash mismatch' | 'broken link' | 'missing rows before this one';
}

/**
 * Checks rows of one chain in `seq` order, continuing from `previous` (the last row already
 * checked, or `null` at the start). Returns the first row that does not fit.
 */
export function findChainBreak(
  rows: StoredChainRow[],
  previous: { seq: number; hash: string } | null,
): ChainBreak | null {
  let expectedSeq = (previous?.seq ?? 0) + 1;
  let expectedPrev = previous?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    const at = { organizationId: row.organizationId, id: row.id, seq: row.seq };
    if (row.seq !== expectedSeq) return { ...at, reason: 'missing rows before this one' };
    if (row.prevHash !== expectedPrev) return { ...at, reason: 'broken link' };
    if (hashAuditEvent(row) !== row.hash) return { ...at, reason: 'hash mismatch' };
    expectedSeq += 1;
    expectedPrev = row.hash;
  }
  return null;
}

/** Objects with sorted keys, recursively: the same value always serializes the same way. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
