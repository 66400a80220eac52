import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import {
  CRAWL_DEPTH_LIMIT_MAX,
  CRAWL_PAGE_LIMIT_MAX,
  type CreateKnowledgeSourceRequest,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  type Passage,
  type UnansweredQuestion,
} from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';
import { Realtime } from '../../core/realtime/realtime';
import { KnowledgeApi } from './knowledge.api';
import { crawlUrlProblem, inProgress, knowledgeErrorKey, uploadProblem } from './knowledge-input';

/** How often the page asks again while a crawl is queued or running. */
export const POLL_MS = 2000;

type View = { kind: 'list' } | { kind: 'source'; sourceId: string };

const newestFirst = (a: KnowledgeSource, b: KnowledgeSource): number =>
  b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
const lastAskedFirst = (a: UnansweredQuestion, b: UnansweredQuestion): number =>
  b.askedAt.localeCompare(a.askedAt);

/**
 * The selected site's knowledge base. While a page shows it (`showList` / `showSource` until
 * `leave`), it polls every `POLL_MS` as long as a crawl is queued or running, and stops as soon as
 * none is. Answers for a site that is no longer shown are dropped.
 */
@Injectable()
export class KnowledgeStore {
  private readonly api = inject(KnowledgeApi);

  private readonly siteIdValue = signal<string | null>(null);
  readonly siteId = this.siteIdValue.asReadonly();
  private readonly sourcesValue = signal<KnowledgeSource[]>([]);
  readonly sources = this.sourcesValue.asReadonly();
  private readonly loadedValue = signal(false);
  readonly loaded = this.loadedValue.asReadonly();
  private readonly loadFailedValue = signal(false);
  readonly loadFailed = this.loadFailedValue.asReadonly();
  private readonly detailValue = signal<KnowledgeSourceDetail | null>(null);
  readonly detail = this.detailValue.asReadonly();
  private readonly detailMissingValue = signal(false);
  readonly detailMissing = this.detailMissingValue.asReadonly();
  /** Adding a source: one at a time. */
  private readonly addingValue = signal(false);
  readonly adding = this.addingValue.asReadonly();
  private readonly addErrorValue = signal<MessageKey | null>(null);
  readonly addError = this.addErrorValue.asReadonly();
  /** A recrawl or delete that failed. */
  private readonly actionErrorValue = signal<MessageKey | null>(null);
  readonly actionError = this.actionErrorValue.asReadonly();
  private readonly searchingValue = signal(false);
  readonly searching = this.searchingValue.asReadonly();
  private readonly searchErrorValue = signal<MessageKey | null>(null);
  readonly searchError = this.searchErrorValue.asReadonly();
  /** `null` until a question was tested. */
  private readonly passagesValue = signal<Passage[] | null>(null);
  readonly passages = this.passagesValue.asReadonly();
  private readonly unansweredValue = signal<UnansweredQuestion[]>([]);
  readonly unanswered = this.unansweredValue.asReadonly();
  /** A dismissal that failed: shown by the unanswered list, where it was asked for. */
  private readonly unansweredErrorValue = signal<MessageKey | null>(null);
  readonly unansweredError = this.unansweredErrorValue.asReadonly();
  readonly crawling = computed(() => this.sources().filter(inProgress));
  private readonly pollingValue = signal(false);
  readonly polling = this.pollingValue.asReadonly();

  private view: View | null = null;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * Questions dismissed (or being dismissed) from this page: a list fetched before the DELETE
   * landed must not bring them back. A few ids per session; a failed dismissal leaves the set.
   */
  private readonly dismissed = new Set<string>();

  constructor() {
    // An assistant answer may be a new unanswered question: keep that list current while shown.
    const stop = inject(Realtime).on((event) => {
      if (
        this.view?.kind === 'list' &&
        event.type === 'message.created' &&
        event.message.author === 'assistant' &&
        event.siteId === this.siteId()
      ) {
        void this.loadUnanswered();
      }
    });
    inject(DestroyRef).onDestroy(() => {
      stop();
      this.leave();
    });
  }

  /** The list page shows `siteId`: sources and unanswered questions, polled while crawling. */
  async showList(siteId: string | null): Promise<void> {
    this.useSite(siteId);
    this.view = { kind: 'list' };
    await Promise.all([this.refresh(), this.loadUnanswered()]);
  }

  /** The detail page shows one source with its pages, polled while it is crawled. */
  async showSource(siteId: string | null, sourceId: string): Promise<void> {
    this.useSite(siteId);
    if (this.detail()?.id !== sourceId) this.detailValue.set(null);
    this.detailMissingValue.set(false);
    this.view = { kind: 'source', sourceId };
    await this.refresh();
  }

  /** A page was left: no more polling (unless the next page already took over). */
  leave(kind?: View['kind']): void {
    if (kind && this.view?.kind !== kind) return;
    this.view = null;
    this.stopTimer();
  }

  /** Loads what the current view shows, then polls again if something is still in progress. */
  async refresh(): Promise<void> {
    const siteId = this.siteId();
    const view = this.view;
    const generation = this.generation;
    this.stopTimer();
    if (!siteId || !view) return;
    if (view.kind === 'list') {
      try {
        const sources = await this.api.sources(siteId);
        if (generation !== this.generation) return;
        const before = this.sources();
        const finished = sources.some(
          (s) => s.status === 'ready' && before.some((b) => b.id === s.id && inProgress(b)),
        );
        this.sourcesValue.set([...sources].sort(newestFirst));
        this.loadFailedValue.set(false);
        // New pages may answer listed questions: the server drops those when the list is fetched.
        if (finished) void this.loadUnanswered();
      } catch {
        if (generation !== this.generation) return;
        this.loadFailedValue.set(true);
      }
      this.loadedValue.set(true);
    } else {
      try {
        const detail = await this.api.source(siteId, view.sourceId);
        if (generation !== this.generation || this.view !== view) return;
        this.detailValue.set(detail);
        this.replace(detail);
        this.loadFailedValue.set(false);
      } catch (error) {
        if (generation !== this.generation || this.view !== view) return;
        if (errorCode(error) === 'SOURCE_NOT_FOUND') {
          this.detailValue.set(null);
          this.detailMissingValue.set(true);
        } else {
          this.loadFailedValue.set(true);
        }
      }
    }
    if (this.view === view) this.schedule();
  }

  async addCrawl(url: string, allowedOrigins: readonly string[], limits: Limits = {}): Promise<boolean> {
    const problem = crawlUrlProblem(url, allowedOrigins);
    if (problem) {
      this.addErrorValue.set(problem === 'invalid' ? 'knowledge.error.url' : 'knowledge.error.notAllowed');
      return false;
    }
    const { pageLimit, depthLimit } = limits;
    if (
      (pageLimit !== undefined && (pageLimit < 1 || pageLimit > CRAWL_PAGE_LIMIT_MAX)) ||
      (depthLimit !== undefined && (depthLimit < 0 || depthLimit > CRAWL_DEPTH_LIMIT_MAX))
    ) {
      this.addErrorValue.set('knowledge.error.limits');
      return false;
    }
    return this.add({ type: 'crawl', url: url.trim(), ...limits });
  }

  async addQa(question: string, answer: string): Promise<boolean> {
    if (!question.trim() || !answer.trim()) {
      this.addErrorValue.set('knowledge.error.qaEmpty');
      return false;
    }
    return this.add({ type: 'qa', question: question.trim(), answer: answer.trim() });
  }

  async upload(file: File | null): Promise<boolean> {
    const problem = file ? uploadProblem(file) : 'empty';
    if (!file || problem) {
      this.addErrorValue.set(
        !file
          ? 'knowledge.error.noFile'
          : problem === 'tooLarge'
            ? 'knowledge.error.tooLarge'
            : problem === 'empty'
              ? 'knowledge.error.emptyFile'
              : 'knowledge.error.unsupportedType',
      );
      return false;
    }
    return this.run((siteId) => this.api.upload(siteId, file));
  }

  async recrawl(sourceId: string): Promise<void> {
    await this.act(async (siteId) => {
      this.replace(await this.api.recrawl(siteId, sourceId));
      this.schedule();
    });
  }

  async remove(sourceId: string): Promise<boolean> {
    return this.act(async (siteId) => {
      try {
        await this.api.remove(siteId, sourceId);
      } catch (error) {
        if (errorCode(error) !== 'SOURCE_NOT_FOUND') throw error; // already gone: same outcome
      }
      this.sourcesValue.update((sources) => sources.filter((s) => s.id !== sourceId));
      if (this.detail()?.id === sourceId) this.detailValue.set(null);
    });
  }

  /** "Test a question": the passages the assistant would answer from. */
  async search(query: string): Promise<void> {
    const siteId = this.siteId();
    if (!siteId) return;
    if (!query.trim()) {
      this.searchErrorValue.set('knowledge.error.queryEmpty');
      return;
    }
    this.searchingValue.set(true);
    this.searchErrorValue.set(null);
    try {
      const { passages } = await this.api.search(siteId, query.trim());
      if (siteId === this.siteId()) this.passagesValue.set(passages);
    } catch (error) {
      if (siteId === this.siteId()) this.searchErrorValue.set(knowledgeErrorKey(errorCode(error)));
    } finally {
      this.searchingValue.set(false);
    }
  }

  async loadUnanswered(): Promise<void> {
    const siteId = this.siteId();
    if (!siteId) return;
    try {
      const items = await this.api.unanswered(siteId);
      if (siteId === this.siteId()) this.unansweredValue.set(items.filter((q) => !this.dismissed.has(q.id)));
    } catch {
      // The list is a hint; the sources above matter more. It comes back on the next load.
    }
  }

  /** "Dismiss": off the list at once; back in its place, with the reason, if the API refuses. */
  async dismiss(question: UnansweredQuestion): Promise<boolean> {
    const siteId = this.siteId();
    if (!siteId || this.dismissed.has(question.id)) return false;
    this.dismissed.add(question.id);
    this.unansweredErrorValue.set(null);
    this.unansweredValue.update((items) => items.filter((q) => q.id !== question.id));
    try {
      await this.api.dismissUnanswered(siteId, question.id);
      return true;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'QUESTION_NOT_FOUND') return true; // already gone: same outcome
      this.dismissed.delete(question.id);
      if (siteId === this.siteId()) {
        this.unansweredValue.update((items) =>
          [...items.filter((q) => q.id !== question.id), question].sort(lastAskedFirst),
        );
        this.unansweredErrorValue.set(knowledgeErrorKey(code));
      }
      return false;
    }
  }

  private useSite(siteId: string | null): void {
    if (siteId === this.siteId()) return;
    this.generation += 1;
    this.stopTimer();
    this.siteIdValue.set(siteId);
    this.sourcesValue.set([]);
    this.loadedValue.set(false);
    this.loadFailedValue.set(false);
    this.detailValue.set(null);
    this.passagesValue.set(null);
    this.unansweredValue.set([]);
    this.unansweredErrorValue.set(null);
    this.addErrorValue.set(null);
    this.actionErrorValue.set(null);
    this.searchErrorValue.set(null);
  }

  private add(request: CreateKnowledgeSourceRequest): Promise<boolean> {
    return this.run((siteId) => this.api.create(siteId, request));
  }

  /** Adds a source through the API and shows it at once; a crawl starts the polling. */
  private async run(create: (siteId: string) => Promise<KnowledgeSource>): Promise<boolean> {
    const siteId = this.siteId();
    if (!siteId || this.adding()) return false;
    this.addingValue.set(true);
    this.addErrorValue.set(null);
    try {
      const source = await create(siteId);
      if (siteId !== this.siteId()) return false;
      this.sourcesValue.update((sources) => [source, ...sources.filter((s) => s.id !== source.id)]);
      this.schedule();
      // A Q&A entry or a file is indexed at once and may answer listed questions ("Answer it"):
      // the server drops those when the list is fetched. Not awaited: the form is done already.
      if (!inProgress(source)) void this.loadUnanswered();
      return true;
    } catch (error) {
      if (siteId === this.siteId()) this.addErrorValue.set(knowledgeErrorKey(errorCode(error)));
      return false;
    } finally {
      this.addingValue.set(false);
    }
  }

  private async act(work: (siteId: string) => Promise<void>): Promise<boolean> {
    const siteId = this.siteId();
    if (!siteId) return false;
    this.actionErrorValue.set(null);
    try {
      await work(siteId);
      return true;
    } catch (error) {
      if (siteId === this.siteId()) this.actionErrorValue.set(knowledgeErrorKey(errorCode(error)));
      return false;
    }
  }

  /** What the add form found wrong before asking the API (a file too large), or `null`. */
  showAddError(key: MessageKey | null): void {
    this.addErrorValue.set(key);
  }

  private replace(source: KnowledgeSource): void {
    this.sourcesValue.update((sources) => sources.map((s) => (s.id === source.id ? { ...s, ...source } : s)));
    this.detailValue.update((detail) => (detail?.id === source.id ? { ...detail, ...source } : detail));
  }

  private schedule(): void {
    this.stopTimer();
    const view = this.view;
    if (!view) return;
    const detail = this.detail();
    const busy =
      view.kind === 'list' ? this.sources().some(inProgress) : detail !== null && inProgress(detail);
    if (!busy) return;
    this.pollingValue.set(true);
    this.timer = setTimeout(() => void this.refresh(), POLL_MS);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pollingValue.set(false);
  }
}

export interface Limits {
  pageLimit?: number;
  depthLimit?: number;
}
