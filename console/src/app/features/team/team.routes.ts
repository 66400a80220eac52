import type { Routes } from '@angular/router';

import { TeamStore } from './team.store';

export const TEAM_ROUTES: Routes = [
  { path: '', providers: [TeamStore], loadComponent: () => import('./team.page').then((m) => m.TeamPage) },
];
