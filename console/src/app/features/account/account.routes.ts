import type { Routes } from '@angular/router';

import { AccountStore } from './account.store';

export const ACCOUNT_ROUTES: Routes = [
  {
    path: '',
    providers: [AccountStore],
    loadComponent: () => import('./account.page').then((m) => m.AccountPage),
  },
];
