import type { Routes } from '@angular/router';

export const PRIVACY_ROUTES: Routes = [];
