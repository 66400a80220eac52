import { computed, effect, inject, Injectable, signal } from '@angular/core';

import { ConsoleStorage } from '../storage';
import { EN, type MessageKey } from './messages.en';
import { FI } from './messages.fi';

export const LOCALES = ['en', 'fi'] as const;
export type Locale = (typeof LOCALES)[number];

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en: EN, fi: FI };

/** `prefs.js` has already put the remembered language on `<html lang>` before Angular starts. */
function initialLocale(stored: string | null): Locale {
  if (stored === 'en' || stored === 'fi') return stored;
  return document.documentElement.lang === 'fi' ? 'fi' : 'en';
}

/**
 * Runtime translations: both languages ship in the bundle (a few KB), so switching is instant and
 * one build serves everyone. Templates call `t('key')`; it reads a signal, so views follow changes.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly storage = inject(ConsoleStorage);
  private readonly localeValue = signal<Locale>(initialLocale(this.storage.get('locale')));
  readonly locale = this.localeValue.asReadonly();
  private readonly dictionary = computed(() => DICTIONARIES[this.locale()]);
  private readonly dateFormat = computed(
    () => new Intl.DateTimeFormat(this.locale(), { dateStyle: 'medium', timeStyle: 'short' }),
  );

  constructor() {
    effect(() => {
      document.documentElement.lang = this.locale();
    });
  }

  readonly t = (key: MessageKey, params?: Record<string, string | number>): string => {
    const text = this.dictionary()[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };

  readonly date = (iso: string | null | undefined): string =>
    iso ? this.dateFormat().format(new Date(iso)) : this.dictionary()['app.none'];

  setLocale(locale: Locale): void {
    this.localeValue.set(locale);
    this.storage.set('locale', locale);
  }
}
