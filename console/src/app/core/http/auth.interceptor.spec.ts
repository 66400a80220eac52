import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { CONSOLE_STORAGE_KEYS } from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { createAuthResponse, settle } from '../../testing/factories';
import { authInterceptor } from './auth.interceptor';
import { route } from '@cloop/client/route';

const UNAUTHORIZED = { status: 401, statusText: 'Unauthorized' };
const expired = { statusCode: 401, error: 'Unauthorized', message: 'expired', code: 'UNAUTHENTICATED' };

function setUp(): { client: HttpClient; http: HttpTestingController; router: Router } {
  localStorage.setItem(CONSOLE_STORAGE_KEYS.accessToken, 'old-access');
  localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'refresh-1');
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
    ],
  });
  const router = TestBed.inject(Router);
  jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  return { client: TestBed.inject(HttpClient), http: TestBed.inject(HttpTestingController), router };
}

describe('authInterceptor', () => {
  beforeEach(() => localStorage.clear());

  it('adds the access token to API requests', async () => {
    const { client, http } = setUp();
    const result = firstValueFrom(client.get(route('/api/v1/sites')));
    const request = http.expectOne(route('/api/v1/sites'));
    expect(request.request.headers.get('Authorization')).toBe('Bearer old-access');
    request.flush({ items: [] });
    await expect(result).resolves.toEqual({ items: [] });
  });

  it('sends no token to sign-in and does not refresh when sign-in answers 401', async () => {
    const { client, http } = setUp();
    const result = firstValueFrom(client.post(route('/api/v1/auth/login'), {}));
    const request = http.expectOne(route('/api/v1/auth/login'));
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush({ code: 'INVALID_CREDENTIALS' }, UNAUTHORIZED);
    await expect(result).rejects.toMatchObject({ status: 401 });
    await settle();
    http.expectNone(route('/api/v1/auth/refresh'));
  });

  it('refreshes once for many concurrent 401s and retries each request with the new token', async () => {
    const { client, http } = setUp();
    const urls = [
      '/api/v1/sites',
      route('/api/v1/auth/me'),
      '/api/v1/sites/s1/conversations',
      '/api/v1/sites/s2',
    ];
    const results = urls.map((url) => firstValueFrom(client.get<{ url: string }>(url)));

    for (const url of urls) {
      const request = http.expectOne(url);
      expect(request.request.headers.get('Authorization')).toBe('Bearer old-access');
      request.flush(expired, UNAUTHORIZED);
    }
    await settle();

    const refresh = http.expectOne(route('/api/v1/auth/refresh'));
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    const pair = createAuthResponse();
    refresh.flush(pair);
    await settle();

    for (const url of urls) {
      const retry = http.expectOne(url);
      expect(retry.request.headers.get('Authorization')).toBe(`Bearer ${pair.accessToken}`);
      retry.flush({ url });
    }
    await expect(Promise.all(results)).resolves.toEqual(urls.map((url) => ({ url })));
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.refreshToken)).toBe(pair.refreshToken);
    http.verify();
  });

  it('retries without another refresh when a 401 arrives after the token was already renewed', async () => {
    const { client, http } = setUp();
    const early = firstValueFrom(client.get(route('/api/v1/sites')));
    const late = firstValueFrom(client.get(route('/api/v1/auth/me')));
    const [earlyRequest, lateRequest] = [
      http.expectOne(route('/api/v1/sites')),
      http.expectOne(route('/api/v1/auth/me')),
    ];

    earlyRequest.flush(expired, UNAUTHORIZED);
    await settle();
    const pair = createAuthResponse();
    http.expectOne(route('/api/v1/auth/refresh')).flush(pair);
    await settle();
    http.expectOne(route('/api/v1/sites')).flush({ ok: 'early' });
    await expect(early).resolves.toEqual({ ok: 'early' });

    // Sent with the old token before the refresh finished; its 401 lands afterwards.
    lateRequest.flush(expired, UNAUTHORIZED);
    await settle();
    http.expectNone(route('/api/v1/auth/refresh'));
    const retry = http.expectOne(route('/api/v1/auth/me'));
    expect(retry.request.headers.get('Authorization')).toBe(`Bearer ${pair.accessToken}`);
    retry.flush({ ok: 'late' });
    await expect(late).resolves.toEqual({ ok: 'late' });
  });

  it('signs out and fails the waiting requests when the refresh is rejected', async () => {
    const { client, http, router } = setUp();
    const results = [client.get(route('/api/v1/sites')), client.get(route('/api/v1/auth/me'))].map(
      (request) =>
        firstValueFrom(request).then(
          () => 'ok',
          () => 'failed',
        ),
    );
    http.expectOne(route('/api/v1/sites')).flush(expired, UNAUTHORIZED);
    http.expectOne(route('/api/v1/auth/me')).flush(expired, UNAUTHORIZED);
    await settle();
    http.expectOne(route('/api/v1/auth/refresh')).flush({ code: 'INVALID_REFRESH_TOKEN' }, UNAUTHORIZED);

    await expect(Promise.all(results)).resolves.toEqual(['failed', 'failed']);
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.accessToken)).toBeNull();
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.refreshToken)).toBeNull();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/sign-in');
    http.verify();
  });

  it('passes other errors through untouched', async () => {
    const { client, http } = setUp();
    const result = firstValueFrom(client.get('/api/v1/sites/x'));
    http
      .expectOne('/api/v1/sites/x')
      .flush({ code: 'SITE_NOT_FOUND' }, { status: 404, statusText: 'Not Found' });
    await expect(result).rejects.toMatchObject({ status: 404 });
    http.expectNone(route('/api/v1/auth/refresh'));
  });
});
