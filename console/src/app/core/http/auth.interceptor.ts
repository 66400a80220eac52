import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';

import { TOKENLESS_AUTH_PATHS } from '../auth/auth.api';
import { AuthStore } from '../auth/auth.store';

const withToken = (request: HttpRequest<unknown>, token: string | null): HttpRequest<unknown> =>
  token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;

/**
 * Adds the access token to API calls. On a 401 it refreshes (one refresh shared by every request
 * waiting at that moment, see `AuthStore.refresh`) and retries once; if the token already changed
 * while this request was in flight it just retries with the new one.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/') || TOKENLESS_AUTH_PATHS.includes(request.url)) {
    return next(request);
  }
  const auth = inject(AuthStore);
  const sent = auth.accessToken();
  return next(withToken(request, sent)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401 || !auth.signedIn()) {
        return throwError(() => error);
      }
      const current = auth.accessToken();
      const fresh = current !== null && current !== sent ? Promise.resolve(current) : auth.refresh();
      return from(fresh).pipe(switchMap((token) => next(withToken(request, token))));
    }),
  );
};
