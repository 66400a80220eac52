import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { I18n } from '../../core/i18n/i18n';
import { documentStatusKey, sourceTypeKey } from '../../core/i18n/labels';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';
import { EmptyRowComponent } from '../../shared/ui/empty-row.component';
import { inProgress, readNothing, sourceBadgeKey } from './knowledge-input';
import { KnowledgeStore } from './knowledge.store';

/** One source with every page or file it read and what became of each (polled while crawling). */
@Component({
  selector: 'cl-source-detail-page',
  imports: [EmptyRowComponent, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page stack">
      <a routerLink="/knowledge">← {{ 'knowledge.back' | t }}</a>
      @if (store.detail(); as source) {
        <h1 class="msg-body">{{ source.title }}</h1>
        <div class="card detail-facts" data-testid="source-detail">
          <span>{{ 'knowledge.type' | t }}: {{ sourceTypeKey(source.type) | t }}</span>
          <span
            >{{ 'knowledge.status' | t }}:
            <span
              class="badge"
              data-testid="detail-status"
              [class.warn]="source.status === 'failed' || readNothing(source)"
              [class.accent]="busy()"
              >{{ sourceBadgeKey(source) | t }}</span
            ></span
          >
          <span
            >{{ 'knowledge.pages' | t }}:
            <span data-testid="detail-pages">{{ source.documentCount }}</span></span
          >
          <span>{{ 'knowledge.chunks' | t }}: {{ source.chunkCount }}</span>
          @if (source.pageLimit !== null) {
            <span class="muted">{{
              'knowledge.limits' | t: { pages: source.pageLimit, depth: source.depthLimit ?? 0 }
            }}</span>
          }
          <span>{{ 'knowledge.updated' | t }}: {{ i18n.date(source.updatedAt) }}</span>
          <span class="muted" role="status" aria-live="polite">{{
            busy() ? ('knowledge.progress' | t: { count: 1, pages: source.documentCount }) : ''
          }}</span>
        </div>
        @if (source.error) {
          <p class="error" role="alert">{{ source.error }}</p>
        }
        <h2>{{ 'knowledge.documents' | t }}</h2>
        <table data-testid="documents">
          <thead>
            <tr>
              <th scope="col">{{ 'knowledge.page' | t }}</th>
              <th scope="col">{{ 'knowledge.status' | t }}</th>
              <th scope="col">{{ 'knowledge.note' | t }}</th>
              <th scope="col">{{ 'knowledge.chunks' | t }}</th>
              <th scope="col">{{ 'knowledge.fetched' | t }}</th>
            </tr>
          </thead>
          <tbody>
            @for (document of source.documents; track document.id) {
              <tr data-testid="document-row" [attr.data-status]="document.status">
                <td class="msg-body">
                  @if (document.url) {
                    <a [href]="document.url" target="_blank" rel="noopener noreferrer">{{
                      document.title
                    }}</a>
                    @if (document.url !== document.title) {
                      <br /><small>{{ document.url }}</small>
                    }
                  } @else {
                    {{ document.title }}
                  }
                </td>
                <td>
                  <span class="badge" [class.warn]="document.status === 'failed'">{{
                    documentStatusKey(document.status) | t
                  }}</span>
                </td>
                <td>
                  <small>{{ document.detail ?? '' }}</small>
                </td>
                <td>{{ document.chunkCount }}</td>
                <td>
                  <small>{{ i18n.date(document.fetchedAt) }}</small>
                </td>
              </tr>
            } @empty {
              <tr clEmptyRow [columns]="5">
                {{
                  'knowledge.noDocuments' | t
                }}
              </tr>
            }
          </tbody>
        </table>
      } @else if (store.detailMissing()) {
        <p class="card empty" data-testid="source-missing">{{ 'knowledge.notFound' | t }}</p>
      } @else if (store.loadFailed()) {
        <p class="error" role="alert">
          {{ 'app.error' | t }} <button type="button" (click)="store.refresh()">{{ 'app.retry' | t }}</button>
        </p>
      } @else {
        <p class="muted">{{ 'app.loading' | t }}</p>
      }
    </section>
  `,
})
export class SourceDetailPage {
  /** From the route. */
  readonly sourceId = input.required<string>();
  protected readonly store = inject(KnowledgeStore);
  private readonly sites = inject(SiteContext);
  private readonly router = inject(Router);
  protected readonly i18n = inject(I18n);
  protected readonly sourceTypeKey = sourceTypeKey;
  protected readonly sourceBadgeKey = sourceBadgeKey;
  protected readonly readNothing = readNothing;
  protected readonly documentStatusKey = documentStatusKey;
  protected readonly busy = computed(() => {
    const source = this.store.detail();
    return source !== null && inProgress(source);
  });

  constructor() {
    let shownSite: string | null | undefined;
    effect(() => {
      const siteId = this.sites.siteId();
      const sourceId = this.sourceId();
      untracked(() => {
        // Another site in the switcher: this source is not one of its sources.
        if (shownSite !== undefined && siteId !== shownSite) void this.router.navigateByUrl('/knowledge');
        else void this.store.showSource(sourceId);
        shownSite = siteId;
      });
    });
    inject(DestroyRef).onDestroy(() => this.store.leave('source'));
  }
}
