import { randomBytes } from 'node:crypto';

import {
  ChainHasher,
  findChainBreak,
  GENESIS_HASH,
  type HashAlgorithm,
  KEYED,
  type StoredChainRow,
} from './audit-chain';

const hasher = new ChainHasher(randomBytes(32));

/** A chain whose first `unkeyed` rows were hashed before the audit key existed. */
function chain(length: number, unkeyed = 0, keyedWith = hasher): StoredChainRow[] {
  const rows: StoredChainRow[] = [];
  for (let seq = 1; seq <= length; seq += 1) {
    const fields = {
      organizationId: '6f1c2f1e-0000-4000-8000-000000000001',
      seq,
      actorKind: 'user',
      actorUserId: '6f1c2f1e-0000-4000-8000-000000000002',
      action: 'site.updated',
      targetType: 'site',
      targetId: `site-${seq}`,
      details: { fields: ['name'], nested: { b: 2, a: 1 } },
      createdAt: new Date(Date.UTC(2026, 10, 29, 12, 0, seq)),
      prevHash: rows.at(-1)?.hash ?? GENESIS_HASH,
    };
    const hashAlgorithm: HashAlgorithm = seq <= unkeyed ? 'sha256' : KEYED;
    rows.push({ ...fields, id: `row-${seq}`, hashAlgorithm, hash: keyedWith.hash(fields, hashAlgorithm) });
  }
  return rows;
}

describe('audit chain', () => {
  it('hashes the same content the same way whatever the order of its keys', () => {
    const [row] = chain(1);
    if (!row) throw new Error('no row');
    const reordered = { ...row, details: { nested: { a: 1, b: 2 }, fields: ['name'] } };
    expect(hasher.hash(reordered, KEYED)).toBe(row.hash);
    expect(hasher.hash({ ...row, details: { ...row.details, fields: ['retention'] } }, KEYED)).not.toBe(
      row.hash,
    );
  });

  it('keys the hash: another key, or none, gives another hash', () => {
    const [row] = chain(1);
    if (!row) throw new Error('no row');
    expect(new ChainHasher(randomBytes(32)).hash(row, KEYED)).not.toBe(row.hash);
    expect(hasher.hash(row, 'sha256')).not.toBe(row.hash);
  });

  it('accepts an intact chain, also checked in batches', () => {
    const rows = chain(5);
    expect(findChainBreak(hasher, rows, null)).toBeNull();
    const [first, second, ...rest] = rows;
    expect(findChainBreak(hasher, [first, second], null)).toBeNull();
    expect(findChainBreak(hasher, rest, { seq: second.seq, hash: second.hash, keyed: true })).toBeNull();
  });

  it('accepts rows hashed before the audit key, followed by keyed rows', () => {
    expect(findChainBreak(hasher, chain(6, 3), null)).toBeNull();
    expect(findChainBreak(hasher, chain(2, 2), null)).toBeNull();
  });

  it('names the first altered row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], details: { fields: ['allowedOrigins'] } };
    expect(findChainBreak(hasher, rows, null)).toEqual({
      organizationId: rows[2].organizationId,
      id: 'row-3',
      seq: 3,
      reason: 'hash mismatch',
    });
  });

  it('notices a removed row, and a row whose hash was recomputed without its successors', () => {
    const rows = chain(5);
    expect(findChainBreak(hasher, [rows[0], rows[2], rows[3]], null)).toMatchObject({
      id: 'row-3',
      reason: 'missing rows before this one',
    });
    const forged = { ...rows[1], action: 'member.added' };
    forged.hash = hasher.hash(forged, KEYED);
    expect(findChainBreak(hasher, [rows[0], forged, rows[2]], null)).toMatchObject({
      id: 'row-3',
      reason: 'broken link',
    });
  });

  it('refuses a newest row rewritten with a recomputed plain SHA-256, keyed or posing as unkeyed', () => {
    const rows = chain(4);
    const forged = { ...rows[3], action: 'member.added' };
    const plain = { ...forged, hash: hasher.hash(forged, 'sha256') };
    expect(findChainBreak(hasher, [...rows.slice(0, 3), plain], null)).toMatchObject({
      id: 'row-4',
      reason: 'hash mismatch',
    });
    expect(
      findChainBreak(hasher, [...rows.slice(0, 3), { ...plain, hashAlgorithm: 'sha256' }], null),
    ).toMatchObject({ id: 'row-4', reason: 'unkeyed row after keyed rows' });
  });

  it('refuses a chain keyed under another audit key', () => {
    expect(findChainBreak(hasher, chain(3, 0, new ChainHasher(randomBytes(32))), null)).toMatchObject({
      seq: 1,
      reason: 'hash mismatch',
    });
  });

  it('still catches an unkeyed row rewritten with every unkeyed successor recomputed, at the first keyed row', () => {
    const rows = chain(5, 3);
    // Rewrite row 2 and recompute rows 2 and 3 (plain SHA-256 needs no key); row 4 is keyed.
    const row2 = { ...rows[1], action: 'member.added' };
    row2.hash = hasher.hash(row2, 'sha256');
    const row3 = { ...rows[2], prevHash: row2.hash };
    row3.hash = hasher.hash(row3, 'sha256');
    expect(findChainBreak(hasher, [rows[0], row2, row3, rows[3], rows[4]], null)).toMatchObject({
      id: 'row-4',
      reason: 'broken link',
    });
  });
});
