import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { CONSOLE_STORAGE_KEYS } from '@cloop/contracts';

import { createAuthResponse } from '../../testing/factories';
import { AuthStore } from './auth.store';
import { route } from '@cloop/client/route';

function setUp(): { store: AuthStore; http: HttpTestingController; router: Router } {
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
  });
  const router = TestBed.inject(Router);
  jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  return { store: TestBed.inject(AuthStore), http: TestBed.inject(HttpTestingController), router };
}

describe('AuthStore', () => {
  beforeEach(() => localStorage.clear());

  it('keeps exactly the two token keys after signing in', async () => {
    const { store, http } = setUp();
    const signingIn = store.signIn({ email: 'a@example.test', password: 'secret-pass' });
    const response = createAuthResponse();
    http.expectOne(route('/api/v1/auth/login')).flush(response);
    await signingIn;

    expect(Object.keys(localStorage).sort()).toEqual([
      CONSOLE_STORAGE_KEYS.accessToken,
      CONSOLE_STORAGE_KEYS.refreshToken,
    ]);
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.accessToken)).toBe(response.accessToken);
    expect(store.signedIn()).toBe(true);
    expect(document.cookie).toBe('');
  });

  it('revokes the refresh token on sign-out and forgets the tokens and the site, not the preferences', async () => {
    localStorage.setItem(CONSOLE_STORAGE_KEYS.accessToken, 'a1');
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    localStorage.setItem(CONSOLE_STORAGE_KEYS.siteId, 'site-1');
    localStorage.setItem(CONSOLE_STORAGE_KEYS.theme, 'dark');
    localStorage.setItem(CONSOLE_STORAGE_KEYS.locale, 'fi');
    const { store, http, router } = setUp();

    const signingOut = store.signOut();
    const logout = http.expectOne(route('/api/v1/auth/logout'));
    expect(logout.request.body).toEqual({ refreshToken: 'r1' });
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await signingOut;

    expect(Object.keys(localStorage).sort()).toEqual([
      CONSOLE_STORAGE_KEYS.locale,
      CONSOLE_STORAGE_KEYS.theme,
    ]);
    expect(store.signedIn()).toBe(false);
    expect(router.navigateByUrl).toHaveBeenCalledWith('/sign-in');
  });

  it('signs out locally even when the server cannot be reached', async () => {
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    const { store, http } = setUp();
    const signingOut = store.signOut();
    http.expectOne(route('/api/v1/auth/logout')).error(new ProgressEvent('error'));
    await signingOut;
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.refreshToken)).toBeNull();
  });

  it('sends one refresh request for concurrent callers and gives them all the new token', async () => {
    localStorage.setItem(CONSOLE_STORAGE_KEYS.accessToken, 'a1');
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    const { store, http } = setUp();

    const first = store.refresh();
    const second = store.refresh();
    const response = createAuthResponse();
    http.expectOne(route('/api/v1/auth/refresh')).flush(response);

    await expect(Promise.all([first, second])).resolves.toEqual([response.accessToken, response.accessToken]);
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.refreshToken)).toBe(response.refreshToken);
    http.verify();
  });

  it('signs out when the server rejects the refresh token', async () => {
    localStorage.setItem(CONSOLE_STORAGE_KEYS.accessToken, 'a1');
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    const { store, http, router } = setUp();

    const refreshing = store.refresh();
    http
      .expectOne(route('/api/v1/auth/refresh'))
      .flush({ statusCode: 401, code: 'INVALID_REFRESH_TOKEN' }, { status: 401, statusText: 'Unauthorized' });

    await expect(refreshing).rejects.toBeTruthy();
    expect(store.signedIn()).toBe(false);
    expect(store.sessionEnded()).toBe(true);
    expect(localStorage.length).toBe(0);
    expect(router.navigateByUrl).toHaveBeenCalledWith('/sign-in');
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    const { store, http } = setUp();
    const refreshing = store.refresh();
    http.expectOne(route('/api/v1/auth/refresh')).error(new ProgressEvent('error'));
    await expect(refreshing).rejects.toBeTruthy();
    expect(store.signedIn()).toBe(true);
  });
});
