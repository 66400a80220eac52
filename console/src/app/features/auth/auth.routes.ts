import type { Routes } from '@angular/router';

import { signedOutGuard } from '../../core/auth/guards';

export const AUTH_ROUTES: Routes = [
  {
    path: 'sign-in',
    canMatch: [signedOutGuard],
    loadComponent: () => import('./sign-in.page').then((m) => m.SignInPage),
  },
  {
    path: 'sign-up',
    canMatch: [signedOutGuard],
    loadComponent: () => import('./sign-up.page').then((m) => m.SignUpPage),
  },
];
