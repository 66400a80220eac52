import { findChainBreak, GENESIS_HASH, hashAuditEvent, type StoredChainRow } from './audit-chain';

function chain(length: number): StoredChainRow[] {
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
    rows.push({ ...fields, id: `row-${seq}`, hash: hashAuditEvent(fields) });
  }
  return rows;
}

describe('audit chain', () => {
  it('hashes the same content the same way whatever the order of its keys', () => {
    const [row] = chain(1);
    if (!row) throw new Error('no row');
    const reordered = { ...row, details: { nested: { a: 1, b: 2 }, fields: ['name'] } };
    expect(hashAuditEvent(reordered)).toBe(row.hash);
    expect(hashAuditEvent({ ...row, details: { ...row.details, fields: ['retention'] } })).not.toBe(row.hash);
  });

  it('accepts an intact chain, also checked in batches', () => {
    const rows = chain(5);
    expect(findChainBreak(rows, null)).toBeNull();
    const [first, second, ...rest] = rows;
    expect(findChainBreak([first, second], null)).toBeNull();
    expect(findChainBreak(rest, { seq: second.seq, hash: second.hash })).toBeNull();
  });

  it('names the first altered row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], details: { fields: ['allowedOrigins'] } };
    expect(findChainBreak(rows, null)).toEqual({
      organizationId: rows[2].organizationId,
      id: 'row-3',
      seq: 3,
      reason: 'hash mismatch',
    });
  });

  it('notices a removed row, and a row whose hash was recomputed without its successors', () => {
    const rows = chain(5);
    expect(findChainBreak([rows[0], rows[2], rows[3]], null)).toMatchObject({
      id: 'row-3',
      reason: 'missing rows before this one',
    });
    const forged = { ...rows[1], action: 'member.added' };
    forged.hash = hashAuditEvent(forged);
    expect(findChainBreak([rows[0], forged, rows[2]], null)).toMatchObject({
      id: 'row-3',
      reason: 'broken link',
    });
  });
});
