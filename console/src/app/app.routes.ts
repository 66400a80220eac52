import type { Routes } from '@angular/router';

import { signedInGuard } from './core/auth/guards';
import { AUTH_ROUTES } from './features/auth/auth.routes';

/** Every feature is lazy: the first load carries only the shell, auth and the router. */
export const routes: Routes = [
  ...AUTH_ROUTES,
  // The identity provider's redirect URI: works signed in or out (it replaces any session).
  {
    path: 'sso-callback',
    loadComponent: () => import('./features/auth/sso-callback.page').then((m) => m.SsoCallbackPage),
  },
  {
    path: '',
    canMatch: [signedInGuard],
    loadComponent: () => import('./core/layout/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'inbox' },
      {
        path: 'inbox',
        loadChildren: () => import('./features/inbox/inbox.routes').then((m) => m.INBOX_ROUTES),
      },
      {
        path: 'knowledge',
        loadChildren: () => import('./features/knowledge/knowledge.routes').then((m) => m.KNOWLEDGE_ROUTES),
      },
      {
        path: 'sites',
        loadChildren: () => import('./features/sites/sites.routes').then((m) => m.SITES_ROUTES),
      },
      {
        path: 'privacy',
        loadChildren: () => import('./features/privacy/privacy.routes').then((m) => m.PRIVACY_ROUTES),
      },
      {
        path: 'webhooks',
        loadChildren: () => import('./features/webhooks/webhooks.routes').then((m) => m.WEBHOOKS_ROUTES),
      },
      { path: 'team', loadChildren: () => import('./features/team/team.routes').then((m) => m.TEAM_ROUTES) },
      {
        path: 'api-keys',
        loadChildren: () => import('./features/api-keys/api-keys.routes').then((m) => m.API_KEYS_ROUTES),
      },
      { path: 'sso', loadChildren: () => import('./features/sso/sso.routes').then((m) => m.SSO_ROUTES) },
      {
        path: 'account',
        loadChildren: () => import('./features/account/account.routes').then((m) => m.ACCOUNT_ROUTES),
      },
      {
        path: '**',
        loadComponent: () => import('./shared/ui/not-found.page').then((m) => m.NotFoundPage),
      },
    ],
  },
  { path: '**', redirectTo: 'sign-in' },
];
