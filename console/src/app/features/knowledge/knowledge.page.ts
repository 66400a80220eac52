import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import type { KnowledgeSource } from '@cloop/contracts';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { sourceStatusKey, sourceTypeKey } from '../../core/i18n/labels';
import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { EmptyRowComponent } from '../../shared/ui/empty-row.component';
import { AddSourceComponent } from './add-source.component';
import { inProgress, readNothing, sourceBadgeKey } from './knowledge-input';
import { KnowledgeStore } from './knowledge.store';
import { TestQuestionComponent } from './test-question.component';

/** The selected site's knowledge base: add content, watch crawls, test questions, see the gaps. */
@Component({
  selector: 'cl-knowledge-page',
  imports: [
    EmptyRowComponent,
    RouterLink,
    AddSourceComponent,
    ConfirmDialogComponent,
    TestQuestionComponent,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './knowledge.page.html',
})
export class KnowledgePage {
  protected readonly store = inject(KnowledgeStore);
  protected readonly sites = inject(SiteContext);
  private readonly auth = inject(AuthStore);
  protected readonly i18n = inject(I18n);
  protected readonly sourceTypeKey = sourceTypeKey;
  protected readonly sourceStatusKey = sourceStatusKey;
  protected readonly inProgress = inProgress;
  protected readonly readNothing = readNothing;
  protected readonly sourceBadgeKey = sourceBadgeKey;
  /** Members may look and test; admins and owners change (the API decides in the end). */
  protected readonly canEdit = computed(() => {
    const organizationId = this.sites.site()?.organizationId;
    const role = this.auth.me()?.organizations.find((o) => o.id === organizationId)?.role;
    return role !== 'member';
  });
  protected readonly pendingDelete = signal<KnowledgeSource | null>(null);
  /** A crawl ran while the page was open: its end is announced too. */
  private readonly sawCrawl = signal(false);
  /** What the live region says about crawls: one in progress, the last one done, or nothing. */
  protected readonly progress = computed(
    (): { key: MessageKey; params?: { count: number; pages: number } } | null => {
      const crawling = this.store.crawling();
      if (crawling.length > 0) {
        const pages = crawling.reduce((sum, source) => sum + source.documentCount, 0);
        return { key: 'knowledge.progress', params: { count: crawling.length, pages } };
      }
      if (!this.sawCrawl()) return null;
      // A crawl that read nothing is not announced as a plain success.
      const empty = this.store.sources().some((source) => source.type === 'crawl' && readNothing(source));
      return { key: empty ? 'knowledge.progressDoneEmpty' : 'knowledge.progressDone' };
    },
  );
  private readonly addSource = viewChild(AddSourceComponent);

  constructor() {
    void this.auth.loadMe().catch(() => undefined);
    effect(() => {
      this.sites.siteId(); // a switch of site shows that site's sources
      untracked(() => {
        this.sawCrawl.set(false);
        void this.store.showList();
      });
    });
    effect(() => {
      if (this.store.crawling().length > 0) untracked(() => this.sawCrawl.set(true));
    });
    inject(DestroyRef).onDestroy(() => this.store.leave('list'));
  }

  protected confirmDelete(source: KnowledgeSource, dialog: ConfirmDialogComponent): void {
    this.pendingDelete.set(source);
    dialog.open();
  }

  protected async remove(): Promise<void> {
    const source = this.pendingDelete();
    this.pendingDelete.set(null);
    if (source) await this.store.remove(source.id);
  }

  protected answer(question: string): void {
    this.addSource()?.answer(question);
  }

  protected percent(confidence: number): string {
    return confidence.toLocaleString(this.i18n.locale(), { style: 'percent' });
  }
}
