import type { Routes } from '@angular/router';

import { ApiKeysStore } from './api-keys.store';

export const API_KEYS_ROUTES: Routes = [
  {
    path: '',
    providers: [ApiKeysStore],
    loadComponent: () => import('./api-keys.page').then((m) => m.ApiKeysPage),
  },
];
