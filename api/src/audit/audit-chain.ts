import { createHash, createHmac } from 'node:crypto';

/** The `prev_hash` of an organization's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * How a row's hash was made: `hmac-sha256` under the audit key for every row written since the
 * audit key exists; `sha256` (unkeyed) only for rows written before, which anyone could recompute.
 */
export type HashAlgorithm = 'sha256' | 'hmac-sha256';
export const KEYED: HashAlgorithm = 'hmac-sha256';

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

/** Hashes rows: keyed with the chain key, or plain SHA-256 to check rows from before the key. */
export class ChainHasher {
  constructor(private readonly chainKey: Buffer) {}

  hash(fields: ChainedFields, algorithm: HashAlgorithm): string {
    const digest = algorithm === KEYED ? createHmac('sha256', this.chainKey) : createHash('sha256');
    return digest.update(chainedContent(fields)).digest('hex');
  }
}

/** A canonical JSON array, so the hash does not depend on how jsonb orders keys. */
function chainedContent(fields: ChainedFields): string {
  return JSON.stringify([
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
  ]);
}

export interface StoredChainRow extends ChainedFields {
  id: string;
  hash: string;
  hashAlgorithm: HashAlgorithm;
}

/** Where a check of one chain stopped: the last row that fitted. */
export interface ChainPosition {
  seq: number;
  hash: string;
  /** Whether a keyed row came already: after one, every row must be keyed. */
  keyed: boolean;
}

export interface ChainBreak {
  organizationId: string;
  id: string;
  seq: number;
  reason: 'hash mismatch' | 'broken link' | 'missing rows before this one' | 'unkeyed row after keyed rows';
}

/**
 * Checks rows of one chain in `seq` order, continuing from `previous` (the last row already
 * checked, or `null` at the start). Returns the first row that does not fit.
 *
 * An unkeyed row after a keyed one is refused: otherwise anyone could rewrite the newest rows as
 * "old" plain SHA-256 rows, which need no key.
 */
export function findChainBreak(
  hasher: ChainHasher,
  rows: StoredChainRow[],
  previous: ChainPosition | null,
): ChainBreak | null {
  let expectedSeq = (previous?.seq ?? 0) + 1;
  let expectedPrev = previous?.hash ?? GENESIS_HASH;
  let keyed = previous?.keyed ?? false;
  for (const row of rows) {
    const at = { organizationId: row.organizationId, id: row.id, seq: row.seq };
    if (row.seq !== expectedSeq) return { ...at, reason: 'missing rows before this one' };
    if (row.prevHash !== expectedPrev) return { ...at, reason: 'broken link' };
    if (keyed && row.hashAlgorithm !== KEYED) return { ...at, reason: 'unkeyed row after keyed rows' };
    if (hasher.hash(row, row.hashAlgorithm) !== row.hash) return { ...at, reason: 'hash mismatch' };
    expectedSeq += 1;
    expectedPrev = row.hash;
    keyed = row.hashAlgorithm === KEYED;
  }
  return null;
}

/** Objects with sorted keys, recursively: the same value always serializes the same way. */
export function canonical(value: unknown): unknown {
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
