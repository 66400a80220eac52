import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import {
  CRAWL_DEPTH_LIMIT_DEFAULT,
  CRAWL_DEPTH_LIMIT_MAX,
  CRAWL_PAGE_LIMIT_DEFAULT,
  CRAWL_PAGE_LIMIT_MAX,
  KNOWLEDGE_SOURCE_TYPES,
  type KnowledgeSourceType,
  QA_ANSWER_MAX_LENGTH,
  QA_QUESTION_MAX_LENGTH,
} from '@cloop/contracts';
import { NgTemplateOutlet } from '@angular/common';
import { RouterLink } from '@angular/router';

import { sourceTypeKey } from '../../core/i18n/labels';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { formValues } from '../../shared/ui/form-values';
import { UPLOAD_ACCEPT, UPLOAD_MAX_MB, uploadProblem } from './knowledge-input';
import { KnowledgeStore } from './knowledge.store';

/** Adds a source: a website to crawl, a file, or a question with its answer. */
@Component({
  selector: 'cl-add-source',
  imports: [NgTemplateOutlet, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="card stack" data-testid="add-source">
      <h2>{{ 'knowledge.add' | t }}</h2>
      <div class="row" role="radiogroup" [attr.aria-label]="'knowledge.addKind' | t">
        @for (type of types; track type) {
          <label class="check">
            <input
              type="radio"
              name="source-kind"
              [value]="type"
              [attr.data-testid]="'kind-' + type"
              [checked]="kind() === type"
              (change)="choose(type)"
            />
            {{ sourceTypeKey(type) | t }}
          </label>
        }
      </div>

      @switch (kind()) {
        @case ('crawl') {
          <form class="stack" data-testid="crawl-form" novalidate (submit)="crawl($event)">
            <label
              >{{ 'knowledge.url' | t }}
              <input
                name="url"
                type="url"
                required
                maxlength="2048"
                autocomplete="off"
                data-testid="crawl-url"
                [placeholder]="example()"
                [attr.aria-invalid]="!!store.addError()"
                aria-describedby="crawl-hint add-error"
              />
              <small id="crawl-hint">{{ 'knowledge.urlHint' | t: { origins: origins().join(', ') } }}</small>
            </label>
            <div class="row">
              <label
                >{{ 'knowledge.pageLimit' | t }}
                <input name="pageLimit" type="number" min="1" [max]="pageMax" [attr.value]="pageDefault" />
              </label>
              <label
                >{{ 'knowledge.depthLimit' | t }}
                <input name="depthLimit" type="number" min="0" [max]="depthMax" [attr.value]="depthDefault" />
              </label>
            </div>
            <ng-container
              *ngTemplateOutlet="submit; context: { label: ('knowledge.crawl' | t), testid: 'crawl-submit' }"
            />
          </form>
        }
        @case ('upload') {
          <form class="stack" data-testid="upload-form" (submit)="upload($event)">
            <label
              >{{ 'knowledge.file' | t }}
              <input
                #fileInput
                name="file"
                type="file"
                data-testid="upload-file"
                [accept]="accept"
                [attr.aria-invalid]="!!store.addError()"
                aria-describedby="upload-hint add-error"
                (change)="pick($event)"
              />
              <small id="upload-hint">{{ 'knowledge.fileHint' | t: { mb: maxMb } }}</small>
            </label>
            <ng-container
              *ngTemplateOutlet="
                submit;
                context: { label: ('knowledge.upload' | t), testid: 'upload-submit' }
              "
            />
          </form>
        }
        @case ('qa') {
          <form class="stack" data-testid="qa-form" (submit)="addQa($event)">
            <label
              >{{ 'knowledge.question' | t }}
              <input
                name="question"
                required
                autocomplete="off"
                data-testid="qa-question"
                [maxLength]="questionMax"
                [value]="question()"
                (input)="question.set(text($event))"
              />
            </label>
            <label
              >{{ 'knowledge.answer' | t }}
              <textarea
                #answerInput
                name="answer"
                rows="4"
                required
                data-testid="qa-answer"
                [maxLength]="answerMax"
              ></textarea>
            </label>
            <ng-container
              *ngTemplateOutlet="submit; context: { label: ('knowledge.addQa' | t), testid: 'qa-submit' }"
            />
          </form>
        }
      }
    </div>

    <ng-template #submit let-label="label" let-testid="testid">
      @if (store.addError(); as error) {
        <p class="error" role="alert" id="add-error" data-testid="add-error">
          {{ error | t: limits }}
          @if (error === 'knowledge.error.notAllowed' && siteId()) {
            <a [routerLink]="['/sites', siteId()]">{{ 'knowledge.siteSettings' | t }}</a>
          }
        </p>
      }
      <div class="row">
        <button type="submit" class="primary" [attr.data-testid]="testid" [disabled]="store.adding()">
          {{ label }}
        </button>
        @if (done(); as message) {
          <span class="ok" role="status">{{ message | t }}</span>
        }
      </div>
    </ng-template>
  `,
})
export class AddSourceComponent {
  readonly origins = input.required<readonly string[]>();
  readonly siteId = input.required<string>();
  protected readonly store = inject(KnowledgeStore);
  protected readonly sourceTypeKey = sourceTypeKey;
  protected readonly types = KNOWLEDGE_SOURCE_TYPES;
  protected readonly accept = UPLOAD_ACCEPT;
  protected readonly maxMb = UPLOAD_MAX_MB;
  protected readonly pageDefault = CRAWL_PAGE_LIMIT_DEFAULT;
  protected readonly pageMax = CRAWL_PAGE_LIMIT_MAX;
  protected readonly depthDefault = CRAWL_DEPTH_LIMIT_DEFAULT;
  protected readonly depthMax = CRAWL_DEPTH_LIMIT_MAX;
  protected readonly questionMax = QA_QUESTION_MAX_LENGTH;
  protected readonly answerMax = QA_ANSWER_MAX_LENGTH;
  /** The numbers the error messages name. */
  protected readonly limits = {
    mb: UPLOAD_MAX_MB,
    pages: CRAWL_PAGE_LIMIT_MAX,
    depth: CRAWL_DEPTH_LIMIT_MAX,
  };
  protected readonly kind = signal<KnowledgeSourceType>('crawl');
  protected readonly question = signal('');
  protected readonly done = signal<'knowledge.crawlStarted' | 'knowledge.added' | null>(null);
  private readonly file = signal<File | null>(null);
  private readonly answerInput = viewChild<ElementRef<HTMLTextAreaElement>>('answerInput');

  protected example(): string {
    return `${this.origins()[0] ?? 'https://shop.example'}/sitemap.xml`;
  }

  protected choose(kind: KnowledgeSourceType): void {
    this.kind.set(kind);
    this.file.set(null);
    this.done.set(null);
    this.store.showAddError(null);
  }

  /** "Answer it" on an unanswered question: the Q&A form, filled in, the answer focused. */
  answer(question: string): void {
    this.choose('qa');
    this.question.set(question);
    setTimeout(() => this.answerInput()?.nativeElement.focus());
  }

  protected text(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected pick(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0] ?? null;
    this.file.set(file);
    this.done.set(null);
    const problem = file ? uploadProblem(file) : null;
    this.store.showAddError(
      problem === 'tooLarge'
        ? 'knowledge.error.tooLarge'
        : problem === 'unsupportedType'
          ? 'knowledge.error.unsupportedType'
          : problem === 'empty'
            ? 'knowledge.error.emptyFile'
            : null,
    );
  }

  protected async crawl(event: Event): Promise<void> {
    const { url = '', pageLimit = '', depthLimit = '' } = formValues(event);
    this.done.set(null);
    const limits = { pageLimit: whole(pageLimit), depthLimit: whole(depthLimit) };
    if (await this.store.addCrawl(url, this.origins(), limits)) {
      (event.target as HTMLFormElement).reset();
      this.done.set('knowledge.crawlStarted');
    }
  }

  protected async upload(event: Event): Promise<void> {
    event.preventDefault();
    this.done.set(null);
    if (await this.store.upload(this.file())) {
      (event.target as HTMLFormElement).reset();
      this.file.set(null);
      this.done.set('knowledge.added');
    }
  }

  protected async addQa(event: Event): Promise<void> {
    const { question = '', answer = '' } = formValues(event);
    this.done.set(null);
    if (await this.store.addQa(question, answer)) {
      (event.target as HTMLFormElement).reset();
      this.question.set('');
      this.done.set('knowledge.added');
    }
  }
}

/** A whole number from a number field, or undefined (the API's default) when left empty. */
function whole(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) ? n : undefined;
}
