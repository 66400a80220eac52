import { HttpErrorResponse } from '@angular/common/http';
import { provideHttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { CONSOLE_STORAGE_KEYS } from '@cloop/contracts';

import { AuthApi } from '../../core/auth/auth.api';
import { AuthStore } from '../../core/auth/auth.store';
import { createAuthResponse } from '../../testing/factories';
import { AccountStore } from './account.store';

function setUp() {
  localStorage.clear();
  localStorage.setItem(CONSOLE_STORAGE_KEYS.accessToken, 'a1');
  localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
  const api = { changePassword: jest.fn(), deleteAccount: jest.fn(), exportMyData: jest.fn() };
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideRouter([]), AccountStore, { provide: AuthApi, useValue: api }],
  });
  jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
  return { store: TestBed.inject(AccountStore), auth: TestBed.inject(AuthStore), api };
}

describe('AccountStore', () => {
  it('keeps this session with the new pair after a password change', async () => {
    const { store, api } = setUp();
    const pair = createAuthResponse();
    api.changePassword.mockResolvedValue(pair);
    await expect(store.changePassword('old password', 'new password 1')).resolves.toBe(true);
    expect(api.changePassword).toHaveBeenCalledWith({
      currentPassword: 'old password',
      newPassword: 'new password 1',
    });
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.refreshToken)).toBe(pair.refreshToken);
    expect(store.message()).toEqual({ key: 'account.passwordChanged', error: false });
  });

  it('says so when the current password is wrong', async () => {
    const { store, api } = setUp();
    api.changePassword.mockRejectedValue(
      new HttpErrorResponse({
        status: 403,
        error: { statusCode: 403, code: 'WRONG_PASSWORD', message: 'x', error: 'Forbidden' },
      }),
    );
    await expect(store.changePassword('bad', 'new password 1')).resolves.toBe(false);
    expect(store.message()).toEqual({ key: 'account.wrongPassword', error: true });
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.refreshToken)).toBe('r1');
  });

  it('ends the session once the account is deleted', async () => {
    const { store, api, auth } = setUp();
    api.deleteAccount.mockResolvedValue(null);
    await store.deleteAccount('password');
    expect(auth.signedIn()).toBe(false);
    expect(localStorage.length).toBe(0);
  });
});
