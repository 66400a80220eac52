import type { Routes } from '@angular/router';

import { SitesStore } from './sites.store';

export const SITES_ROUTES: Routes = [
  {
    path: '',
    providers: [SitesStore],
    children: [
      { path: '', loadComponent: () => import('./sites-list.page').then((m) => m.SitesListPage) },
      { path: 'new', loadComponent: () => import('./site-edit.page').then((m) => m.SiteEditPage) },
      { path: ':siteId', loadComponent: () => import('./site-edit.page').then((m) => m.SiteEditPage) },
    ],
  },
];
