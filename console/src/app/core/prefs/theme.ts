import { effect, inject, Injectable, signal } from '@angular/core';

import { ConsoleStorage } from '../storage';

export type Theme = 'light' | 'dark';

/** Light or dark, remembered as `cloop.theme`; `prefs.js` applied it before the first paint. */
@Injectable({ providedIn: 'root' })
export class ThemeStore {
  private readonly storage = inject(ConsoleStorage);
  private readonly themeValue = signal<Theme>(
    document.documentElement.getAttribute('data-theme') === 'dark' ? 'dark' : 'light',
  );
  readonly theme = this.themeValue.asReadonly();

  constructor() {
    effect(() => {
      document.documentElement.setAttribute('data-theme', this.theme());
    });
  }

  toggle(): void {
    const next: Theme = this.theme() === 'dark' ? 'light' : 'dark';
    this.themeValue.set(next);
    this.storage.set('theme', next);
  }
}
