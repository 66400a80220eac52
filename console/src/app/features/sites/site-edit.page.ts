import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import {
  RETENTION_DAYS_MAX,
  RETENTION_DAYS_MIN,
  WIDGET_LANGUAGES,
  WIDGET_LOCALES,
  WIDGET_POSITIONS,
  type WidgetLanguage,
  type WidgetLanguageTexts,
  type WidgetSettings,
} from '@cloop/contracts';
import { Router } from '@angular/router';

import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { CopyButtonComponent } from '../../shared/ui/copy-button.component';
import { draftOf, embedSnippet, type SiteDraft } from './site-draft';
import { invalidFields, type SiteField } from './site-errors';
import { SitesStore } from './sites.store';
import { WidgetPreviewComponent } from './widget-preview.component';

@Component({
  selector: 'cl-site-edit-page',
  imports: [ConfirmDialogComponent, CopyButtonComponent, WidgetPreviewComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './site-edit.page.html',
})
export class SiteEditPage {
  /** From the route; absent on `/sites/new`. */
  readonly siteId = input<string>();
  private readonly store = inject(SitesStore);
  private readonly context = inject(SiteContext);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly positions = WIDGET_POSITIONS;
  protected readonly locales = WIDGET_LOCALES;
  protected readonly languages = WIDGET_LANGUAGES;
  protected readonly retentionMin = RETENTION_DAYS_MIN;
  protected readonly retentionMax = RETENTION_DAYS_MAX;
  protected readonly origin = location.origin;

  protected readonly site = computed(() => this.context.sites().find((s) => s.id === this.siteId()) ?? null);
  protected readonly draft = signal<SiteDraft>(draftOf(null, this.origin));
  protected readonly busy = this.store.busy;
  protected readonly saved = signal(false);
  protected readonly rotated = signal(false);
  protected readonly failed = computed((): MessageKey | null => {
    const error = this.store.error();
    if (!error) return null;
    return errorCode(error) === 'VALIDATION_FAILED' ? 'sites.invalid' : 'app.error';
  });
  /** Fields the API refused: marked `aria-invalid`, with their own message where one helps. */
  protected readonly invalid = computed(() => invalidFields(this.store.error()));
  protected readonly snippet = computed(() => {
    const site = this.site();
    return site ? embedSnippet(this.origin, site.publicKey) : '';
  });
  protected readonly tryItUrl = computed(() => {
    const site = this.site();
    return site ? `/?siteKey=${encodeURIComponent(site.publicKey)}` : '';
  });

  constructor() {
    // Load the form when the route's site changes; not when a save refreshes the same site.
    effect(() => {
      const routeId = this.siteId();
      untracked(() => {
        const site = this.site();
        const id = site?.id;
        if (routeId && !site) void this.router.navigateByUrl('/sites');
        this.draft.set(draftOf(site, this.origin));
        this.saved.set(false);
        this.rotated.set(false);
        if (id) this.context.select(id);
      });
    });
  }

  protected isInvalid(field: SiteField): true | null {
    return this.invalid().has(field) ? true : null;
  }

  private focusFirstInvalid(): void {
    // After the view shows the marks: the keyboard user lands on what to fix.
    setTimeout(() => this.host.nativeElement.querySelector<HTMLElement>('[aria-invalid=true]')?.focus());
  }

  protected text(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected set<K extends keyof SiteDraft>(key: K, value: SiteDraft[K]): void {
    this.saved.set(false);
    this.draft.update((draft) => ({ ...draft, [key]: value }));
  }

  protected setWidget<K extends keyof WidgetSettings>(key: K, value: WidgetSettings[K]): void {
    this.saved.set(false);
    this.draft.update((draft) => ({ ...draft, widget: { ...draft.widget, [key]: value } }));
  }

  /** One language's greeting or header; empty falls back to the default above. */
  protected setLanguage(language: WidgetLanguage, key: keyof WidgetLanguageTexts, value: string): void {
    const languages = this.draft().widget.languages;
    this.setWidget('languages', { ...languages, [language]: { ...languages[language], [key]: value } });
  }

  protected setPosition(event: Event): void {
    const value = this.text(event);
    const position = this.positions.find((p) => p === value);
    if (position) this.setWidget('position', position);
  }

  protected setLocale(event: Event): void {
    const value = this.text(event);
    const locale = this.locales.find((l) => l === value);
    if (locale) this.setWidget('locale', locale);
  }

  protected checked(event: Event): boolean {
    return (event.target as HTMLInputElement).checked;
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const id = this.siteId();
    if (id) {
      if (await this.store.save(id, this.draft())) this.saved.set(true);
      else this.focusFirstInvalid();
      return;
    }
    const site = await this.store.create(this.draft());
    if (site) await this.router.navigate(['/sites', site.id]);
    else this.focusFirstInvalid();
  }

  protected async rotate(): Promise<void> {
    const id = this.siteId();
    if (id && (await this.store.rotateKey(id))) this.rotated.set(true);
  }

  protected async remove(): Promise<void> {
    const id = this.siteId();
    if (id && (await this.store.remove(id))) await this.router.navigateByUrl('/sites');
  }
}
