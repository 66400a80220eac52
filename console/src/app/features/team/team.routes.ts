import type { Routes } from '@angular/router';

export const TEAM_ROUTES: Routes = [];
