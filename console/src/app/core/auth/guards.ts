import { inject } from '@angular/core';
import { type CanMatchFn, Router } from '@angular/router';

import { AuthStore } from './auth.store';

/** Console pages need a session; without one, the sign-in page. */
export const signedInGuard: CanMatchFn = () =>
  inject(AuthStore).signedIn() || inject(Router).createUrlTree(['/sign-in']);

/** Sign-in and sign-up are for people without a session; others go to the inbox. */
export const signedOutGuard: CanMatchFn = () =>
  !inject(AuthStore).signedIn() || inject(Router).createUrlTree(['/inbox']);
