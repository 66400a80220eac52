import type { Routes } from '@angular/router';

import { InboxStore } from './inbox.store';

export const INBOX_ROUTES: Routes = [
  {
    path: '',
    providers: [InboxStore],
    children: [
      { path: '', loadComponent: () => import('./inbox.page').then((m) => m.InboxPage) },
      { path: ':conversationId', loadComponent: () => import('./inbox.page').then((m) => m.InboxPage) },
    ],
  },
];
