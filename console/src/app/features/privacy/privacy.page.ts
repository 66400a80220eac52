import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';

import { I18n } from '../../core/i18n/i18n';
import { requestKindKey } from '../../core/i18n/labels';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { EmptyRowComponent } from '../../shared/ui/empty-row.component';
import { PrivacyOutcomeComponent } from './privacy-outcome.component';
import { countsLabel } from './privacy-tables';
import { isOverdue, PrivacyStore } from './privacy.store';

@Component({
  selector: 'cl-privacy-page',
  imports: [EmptyRowComponent, ConfirmDialogComponent, PrivacyOutcomeComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './privacy.page.html',
})
export class PrivacyPage {
  protected readonly store = inject(PrivacyStore);
  protected readonly sites = inject(SiteContext);
  protected readonly i18n = inject(I18n);
  protected readonly requestKindKey = requestKindKey;
  protected readonly isOverdue = isOverdue;
  protected readonly value = signal('');

  constructor() {
    effect(() => {
      this.sites.siteId(); // a switch of site shows that site's ledger
      untracked(() => void this.store.showSelectedSite());
    });
  }

  protected setValue(event: Event): void {
    this.value.set((event.target as HTMLInputElement).value.trim());
  }

  protected exportData(event: Event): void {
    event.preventDefault();
    if (this.value()) void this.store.export(this.value());
  }

  protected erase(): void {
    if (this.value()) void this.store.erase(this.value());
  }

  protected counts(counts: Record<string, number>): string {
    return countsLabel(counts, this.i18n.t);
  }
}
