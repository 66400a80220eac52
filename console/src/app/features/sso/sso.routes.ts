import type { Routes } from '@angular/router';

export const SSO_ROUTES: Routes = [
  { path: '', loadComponent: () => import('./sso-settings.page').then((m) => m.SsoSettingsPage) },
];
