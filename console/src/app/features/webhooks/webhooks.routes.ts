import type { Routes } from '@angular/router';

import { WebhooksStore } from './webhooks.store';

export const WEBHOOKS_ROUTES: Routes = [
  {
    path: '',
    providers: [WebhooksStore],
    loadComponent: () => import('./webhooks.page').then((m) => m.WebhooksPage),
  },
];
