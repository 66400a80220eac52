import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { isUnread, PHASES } from '@cloop/contracts';
import { Router, RouterLink, RouterLinkActive } from '@angular/router';

import { I18n } from '../../core/i18n/i18n';
import { lastAuthorKey, leadKey, phaseKey } from '../../core/i18n/labels';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Realtime } from '../../core/realtime/realtime';
import { SiteContext } from '../../core/site/site-context';
import { InViewDirective } from '../../shared/ui/in-view.directive';
import { ConversationDetailComponent } from './conversation-detail.component';
import { InboxStore } from './inbox.store';

const SEARCH_DELAY_MS = 300;

@Component({
  selector: 'cl-inbox-page',
  imports: [RouterLink, RouterLinkActive, InViewDirective, ConversationDetailComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './inbox.page.html',
})
export class InboxPage {
  /** From the route: the open conversation, if any. */
  readonly conversationId = input<string>();
  protected readonly store = inject(InboxStore);
  protected readonly sites = inject(SiteContext);
  protected readonly realtime = inject(Realtime);
  private readonly router = inject(Router);
  protected readonly i18n = inject(I18n);
  protected readonly phases = PHASES;
  protected readonly phaseKey = phaseKey;
  protected readonly leadKey = leadKey;
  protected readonly lastAuthorKey = lastAuthorKey;
  protected readonly isUnread = isUnread;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    effect(() => {
      const siteId = this.sites.siteId();
      untracked(() => {
        const previous = this.store.shownSiteId();
        void this.store.showSelectedSite();
        if (previous && previous !== siteId && this.conversationId())
          void this.router.navigateByUrl('/inbox');
      });
    });
    effect(() => {
      const id = this.conversationId();
      untracked(() => (id ? void this.store.open(id) : this.store.close()));
    });
  }

  protected setPhase(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const phase = this.phases.find((p) => p === value) ?? null;
    void this.store.setFilters({ phase: phase });
  }

  protected setLead(event: Event): void {
    void this.store.setFilters({ lead: (event.target as HTMLInputElement).checked });
  }

  protected search(event: Event): void {
    const q = (event.target as HTMLInputElement).value;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.store.setFilters({ q }), SEARCH_DELAY_MS);
  }

  protected async deleted(): Promise<void> {
    await this.router.navigateByUrl('/inbox');
  }
}
