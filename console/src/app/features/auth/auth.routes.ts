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
  {
    path: 'forgot-password',
    canMatch: [signedOutGuard],
    loadComponent: () => import('./forgot-password.page').then((m) => m.ForgotPasswordPage),
  },
  // Links from e-mail: they work signed in or out.
  {
    path: 'reset-password',
    loadComponent: () => import('./reset-password.page').then((m) => m.ResetPasswordPage),
  },
  {
    path: 'verify-email',
    loadComponent: () => import('./verify-email.page').then((m) => m.VerifyEmailPage),
  },
  {
    path: 'accept-invitation',
    loadComponent: () => import('./accept-invitation.page').then((m) => m.AcceptInvitationPage),
  },
];
