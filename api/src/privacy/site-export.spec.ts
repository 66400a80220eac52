import { randomUUID } from 'node:crypto';

import { DomainError } from '../common/domain-error';
import { siteExportedEntries } from './personal-data-registry';
import { siteKeyset } from './privacy-export.repository';
import { decodeSiteCursor, encodeSiteCursor } from './site-export';

describe('site-wide export', () => {
  it('shows visitors, conversations and messages, in that order', () => {
    expect(siteExportedEntries().map((entry) => entry.table)).toEqual([
      'visitors',
      'conversations',
      'messages',
    ]);
  });

  it("orders each table by columns it shows (the cursor's values are the last row's), never by a secret", () => {
    for (const entry of siteExportedEntries()) {
      for (const column of siteKeyset(entry)) expect(entry.siteExported).toContain(column);
      expect(entry.siteExported).not.toContain('visitor_uuid');
    }
  });

  it('reads back the position a cursor was made from', () => {
    const siteId = randomUUID();
    const position = { siteId, table: 'messages', after: [randomUUID(), 12] };
    expect(decodeSiteCursor(encodeSiteCursor(position), siteId)).toEqual(position);
  });

  it('refuses a cursor made for another site', () => {
    const cursor = encodeSiteCursor({ siteId: randomUUID(), table: 'visitors', after: [randomUUID()] });
    expect(() => decodeSiteCursor(cursor, randomUUID())).toThrow(DomainError);
  });
});
