import { TestBed } from '@angular/core/testing';
import { CONSOLE_STORAGE_KEYS } from '@cloop/contracts';

import { ThemeStore } from '../prefs/theme';
import { I18n } from './i18n';
import { EN } from './messages.en';
import { FI } from './messages.fi';

describe('language and theme', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.removeAttribute('data-theme');
    document.documentElement.lang = 'en';
  });

  it('has every English string in Finnish, and no Finnish string left in English', () => {
    expect(Object.keys(FI).sort()).toEqual(Object.keys(EN).sort());
    const same = Object.keys(EN).filter(
      (key) =>
        EN[key as keyof typeof EN] === FI[key as keyof typeof EN] && !['app.name', 'app.none'].includes(key),
    );
    expect(same).toEqual([]);
  });

  it('switches language, remembers it as cloop.locale and sets <html lang>', () => {
    const i18n = TestBed.inject(I18n);
    expect(i18n.t('nav.inbox')).toBe('Inbox');
    i18n.setLocale('fi');
    TestBed.tick();
    expect(i18n.t('nav.inbox')).toBe('Saapuneet');
    expect(i18n.t('privacy.erased', { count: 3 })).toBe('Poistettu: 3 tietuetta.');
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.locale)).toBe('fi');
    expect(document.documentElement.lang).toBe('fi');
  });

  it('starts from what the pre-paint script put on <html>', () => {
    document.documentElement.lang = 'fi';
    document.documentElement.setAttribute('data-theme', 'dark');
    expect(TestBed.inject(I18n).locale()).toBe('fi');
    expect(TestBed.inject(ThemeStore).theme()).toBe('dark');
  });

  it('toggles the theme and remembers it as cloop.theme', () => {
    const theme = TestBed.inject(ThemeStore);
    theme.toggle();
    TestBed.tick();
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.theme)).toBe('dark');
  });
});
