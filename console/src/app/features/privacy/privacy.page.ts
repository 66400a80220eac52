import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import type { PrivacySubjectRequest } from '@cloop/contracts';

import { I18n } from '../../core/i18n/i18n';
import { requestKindKey } from '../../core/i18n/labels';
import { SiteContext } from '../../core/site/site-context';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { isOverdue, PrivacyStore } from './privacy.store';

type SubjectKind = 'visitorId' | 'email';

@Component({
  selector: 'cl-privacy-page',
  imports: [ConfirmDialogComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './privacy.page.html',
})
export class PrivacyPage {
  protected readonly store = inject(PrivacyStore);
  protected readonly sites = inject(SiteContext);
  protected readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  protected readonly requestKindKey = requestKindKey;
  protected readonly isOverdue = isOverdue;
  protected readonly kind = signal<SubjectKind>('visitorId');
  protected readonly value = signal('');

  constructor() {
    effect(() => {
      const siteId = this.sites.siteId();
      untracked(() => {
        this.store.outcome.set(null);
        if (siteId) void this.store.loadRequests(siteId);
      });
    });
  }

  protected setKind(event: Event): void {
    this.kind.set((event.target as HTMLInputElement).value === 'email' ? 'email' : 'visitorId');
  }

  protected setValue(event: Event): void {
    this.value.set((event.target as HTMLInputElement).value.trim());
  }

  private subject(): PrivacySubjectRequest {
    return this.kind() === 'email' ? { email: this.value() } : { visitorId: this.value() };
  }

  protected exportData(event: Event): void {
    event.preventDefault();
    const siteId = this.sites.siteId();
    if (siteId && this.value()) void this.store.export(siteId, this.subject());
  }

  protected erase(): void {
    const siteId = this.sites.siteId();
    if (siteId && this.value()) void this.store.erase(siteId, this.subject());
  }

  protected counts(counts: Record<string, number>): string {
    return Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${table}: ${n}`)
      .join(', ');
  }
}
