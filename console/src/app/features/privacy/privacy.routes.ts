import type { Routes } from '@angular/router';

import { PrivacyStore } from './privacy.store';

export const PRIVACY_ROUTES: Routes = [
  {
    path: '',
    providers: [PrivacyStore],
    children: [
      { path: '', loadComponent: () => import('./privacy.page').then((m) => m.PrivacyPage) },
      { path: 'audit', loadComponent: () => import('./audit.page').then((m) => m.AuditPage) },
    ],
  },
];
