import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { I18n, LOCALES, type Locale } from '../../core/i18n/i18n';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { ThemeStore } from '../../core/prefs/theme';

/** Theme and language switches, in the shell header and on the sign-in pages. */
@Component({
  selector: 'cl-prefs-toggle',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      type="button"
      class="ghost"
      data-testid="theme-toggle"
      [attr.aria-label]="
        ('nav.theme' | t) + ': ' + (theme.theme() === 'dark' ? ('nav.themeDark' | t) : ('nav.themeLight' | t))
      "
      [attr.title]="theme.theme() === 'dark' ? ('nav.themeDark' | t) : ('nav.themeLight' | t)"
      [attr.aria-pressed]="theme.theme() === 'dark'"
      (click)="theme.toggle()"
    >
      {{ theme.theme() === 'dark' ? '☾' : '☀' }}
    </button>
    <select
      data-testid="locale-select"
      [attr.aria-label]="'nav.language' | t"
      [value]="i18n.locale()"
      (change)="setLocale($event)"
    >
      @for (locale of locales; track locale) {
        <option [value]="locale" [selected]="locale === i18n.locale()">{{ names[locale] }}</option>
      }
    </select>
  `,
  host: { class: 'prefs' },
})
export class PrefsToggleComponent {
  protected readonly i18n = inject(I18n);
  protected readonly theme = inject(ThemeStore);
  protected readonly locales = LOCALES;
  protected readonly names: Record<Locale, string> = { en: 'English', fi: 'Suomi' };

  protected setLocale(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (value === 'en' || value === 'fi') this.i18n.setLocale(value);
  }
}
