import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { type Passage, SEARCH_QUERY_MAX_LENGTH } from '@cloop/contracts';

import { I18n } from '../../core/i18n/i18n';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { formValues } from '../../shared/ui/form-values';
import { KnowledgeStore } from './knowledge.store';

const SNIPPET_LENGTH = 280;

/** "Test a question": the passages the assistant would answer from, best first. */
@Component({
  selector: 'cl-test-question',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="card stack" data-testid="test-question">
      <h2>{{ 'knowledge.test' | t }}</h2>
      <form class="stack" role="search" (submit)="ask($event)">
        <label
          >{{ 'knowledge.testQuery' | t }}
          <input
            name="query"
            type="search"
            required
            autocomplete="off"
            data-testid="test-query"
            [maxLength]="queryMax"
            aria-describedby="test-hint"
          />
          <small id="test-hint">{{ 'knowledge.testHint' | t }}</small>
        </label>
        <div class="row">
          <button type="submit" class="primary" data-testid="test-submit" [disabled]="store.searching()">
            {{ 'knowledge.ask' | t }}
          </button>
        </div>
      </form>
      @if (store.searchError(); as error) {
        <p class="error" role="alert">{{ error | t }}</p>
      }
      <div aria-live="polite" class="stack">
        @if (store.passages(); as passages) {
          @if (passages.length === 0) {
            <p class="notice" data-testid="no-passages">{{ 'knowledge.noPassages' | t }}</p>
          } @else {
            <p class="visually-hidden">{{ 'knowledge.passagesFound' | t: { count: passages.length } }}</p>
            <ol class="stack passages" data-testid="passages">
              @for (passage of passages; track passage.chunkId) {
                <li data-testid="passage">
                  <div class="row">
                    @if (passage.url) {
                      <a [href]="passage.url" target="_blank" rel="noopener noreferrer">{{
                        passage.title
                      }}</a>
                    } @else {
                      <strong>{{ passage.title }}</strong>
                    }
                    <span class="spacer"></span>
                    <span class="badge" [class.accent]="passage.score >= 0.5">{{
                      'knowledge.score' | t: { score: score(passage) }
                    }}</span>
                  </div>
                  @if (passage.heading && passage.heading !== passage.title) {
                    <small>{{ passage.heading }}</small>
                  }
                  <p class="msg-body">{{ snippet(passage) }}</p>
                  @if (passage.url) {
                    <small class="msg-body">{{ passage.url }}</small>
                  }
                </li>
              }
            </ol>
          }
        }
      </div>
    </div>
  `,
})
export class TestQuestionComponent {
  protected readonly store = inject(KnowledgeStore);
  private readonly i18n = inject(I18n);
  protected readonly queryMax = SEARCH_QUERY_MAX_LENGTH;

  protected ask(event: Event): void {
    const { query = '' } = formValues(event);
    void this.store.search(query);
  }

  protected score(passage: Passage): string {
    return passage.score.toLocaleString(this.i18n.locale(), {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
  }

  protected snippet(passage: Passage): string {
    const text = passage.content.replace(/\s+/g, ' ').trim();
    return text.length <= SNIPPET_LENGTH ? text : `${text.slice(0, SNIPPET_LENGTH).trimEnd()}…`;
  }
}
