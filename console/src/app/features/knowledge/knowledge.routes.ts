import type { Routes } from '@angular/router';

import { KnowledgeStore } from './knowledge.store';

export const KNOWLEDGE_ROUTES: Routes = [
  {
    path: '',
    providers: [KnowledgeStore],
    children: [
      { path: '', loadComponent: () => import('./knowledge.page').then((m) => m.KnowledgePage) },
      {
        path: 'sources/:sourceId',
        loadComponent: () => import('./source-detail.page').then((m) => m.SourceDetailPage),
      },
    ],
  },
];
