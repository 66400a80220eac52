import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { Member } from '@cloop/contracts';

import { TeamApi } from './team.api';
import { TeamStore } from './team.store';

const member = (overrides: Partial<Member> = {}): Member => ({
  userId: 'u1',
  email: 'owner@example.test',
  name: 'Owner',
  role: 'owner',
  joinedAt: '2026-11-01T00:00:00Z',
  ...overrides,
});

function setUp() {
  const api = {
    members: jest.fn().mockResolvedValue({ items: [member()], nextCursor: null }),
    invitations: jest.fn().mockResolvedValue({ items: [], nextCursor: null }),
    invite: jest.fn(),
    changeRole: jest.fn(),
    remove: jest.fn(),
    revoke: jest.fn(),
  };
  TestBed.configureTestingModule({ providers: [TeamStore, { provide: TeamApi, useValue: api }] });
  return { store: TestBed.inject(TeamStore), api };
}

describe('TeamStore', () => {
  it('says whether an invited person joined at once or was invited, and reloads the team', async () => {
    const { store, api } = setUp();
    api.invite.mockResolvedValue({ status: 'invited', invitation: { id: 'i1' } });
    await store.invite('org-1', 'new@example.test', 'admin');
    expect(api.invite).toHaveBeenCalledWith('org-1', 'new@example.test', 'admin');
    expect(store.message()).toEqual({ key: 'team.invited', error: false });
    expect(store.members()).toEqual([member()]);

    api.invite.mockResolvedValue({ status: 'joined', member: member({ userId: 'u2' }) });
    await store.invite('org-1', 'known@example.test', 'member');
    expect(store.message()).toEqual({ key: 'team.joinedNow', error: false });
  });

  it('explains that the last owner cannot be demoted', async () => {
    const { store, api } = setUp();
    api.changeRole.mockRejectedValue(
      new HttpErrorResponse({
        status: 409,
        error: { statusCode: 409, code: 'LAST_OWNER', message: 'x', error: 'Conflict' },
      }),
    );
    await store.changeRole('org-1', 'u1', 'member');
    expect(store.message()).toEqual({ key: 'team.lastOwner', error: true });
    expect(store.busy()).toBe(false);
  });
});
