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
    myInvitations: jest.fn().mockResolvedValue([]),
    accept: jest.fn(),
    decline: jest.fn(),
  };
  TestBed.configureTestingModule({ providers: [TeamStore, { provide: TeamApi, useValue: api }] });
  return { store: TestBed.inject(TeamStore), api };
}

describe('TeamStore', () => {
  it('says whether the invitation was e-mailed, has a link to pass on or waits for an account, and reloads the team', async () => {
    const { store, api } = setUp();
    api.invite.mockResolvedValue({ status: 'invited', invitation: { id: 'i1' }, link: null });
    await store.invite('org-1', 'new@example.test', 'admin', 'fi');
    expect(api.invite).toHaveBeenCalledWith('org-1', 'new@example.test', 'admin', 'fi');
    expect(store.message()).toEqual({ key: 'team.invitedMailed', error: false });
    expect(store.members()).toEqual([member()]);

    const link = 'https://cloop.example.test/console/accept-invitation#token=abc.def';
    api.invite.mockResolvedValue({ status: 'invited', invitation: { id: 'i2' }, link });
    await store.invite('org-1', 'other@example.test', 'member', 'en');
    expect(store.message()).toEqual({ key: 'team.invitedLink', error: false });
    expect(store.link()).toBe(link);

    api.invite.mockResolvedValue({ status: 'pending', invitation: { id: 'i3' } });
    await store.invite('org-1', 'known@example.test', 'member', 'en');
    expect(store.message()).toEqual({ key: 'team.invitedPending', error: false });
    expect(store.link()).toBeNull();
  });

  it('accepts an invitation to me, and explains when my address must be confirmed first', async () => {
    const { store, api } = setUp();
    api.accept.mockResolvedValue({ id: 'org-2', name: 'Acme', role: 'member' });
    expect(await store.accept('i1')).toBe(true);
    expect(api.myInvitations).toHaveBeenCalled();

    api.accept.mockRejectedValue(
      new HttpErrorResponse({
        status: 403,
        error: { statusCode: 403, code: 'EMAIL_NOT_VERIFIED', message: 'x', error: 'Forbidden' },
      }),
    );
    expect(await store.accept('i2')).toBe(false);
    expect(store.message()).toEqual({ key: 'team.acceptNeedsVerify', error: true });
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
