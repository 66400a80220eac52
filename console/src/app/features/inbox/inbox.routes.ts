import type { Routes } from '@angular/router';

export const INBOX_ROUTES: Routes = [];
