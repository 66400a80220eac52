import type { PrivacyRequest } from '@cloop/contracts';

import { isOverdue } from './privacy.store';

const request = (overrides: Partial<PrivacyRequest>): PrivacyRequest => ({
  id: 'r1',
  siteId: 's1',
  kind: 'export',
  subjectKind: 'visitor',
  subjectHash: 'h',
  receivedAt: '2026-10-01T00:00:00Z',
  dueAt: '2026-11-01T00:00:00Z',
  completedAt: null,
  actor: { kind: 'user', userId: 'u1' },
  counts: {},
  ...overrides,
});

describe('the privacy ledger', () => {
  const now = new Date('2026-11-29T12:00:00Z');

  it('marks an open request past its due date as overdue', () => {
    expect(isOverdue(request({}), now)).toBe(true);
  });

  it('does not mark a completed request, or one still within its month', () => {
    expect(isOverdue(request({ completedAt: '2026-10-02T00:00:00Z' }), now)).toBe(false);
    expect(isOverdue(request({ dueAt: '2026-12-29T00:00:00Z' }), now)).toBe(false);
  });
});
