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
import { SiteContext } from '../../core/site/site-context';
import { Action } from '../../core/state/action';
import { KnowledgeApi } from './knowledge.api';
import { crawlUrlProblem, inProgress, knowledgeErrorKey, uploadProblem } from './knowledge-input';

/** How often the page asks again while a crawl is queued or running. */
export const POLL_MS = 2000;

type View = { kind: 'list' } | { kind: 'source'; sourceId: string };

const newestFirst = (a: KnowledgeSource, b: KnowledgeSource): number =>
  b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
const lastAskedFirst = (a: UnansweredQuestion, b: UnansweredQuestion): number =>
  b.askedAt.localeCompare(a.askedAt);

/** Thrown for an answer that came after a switch of site: dropped, and no failure to show. */
class SiteSwitched extends Error {}
const knowledgeFailure = (error: unknown): MessageKey | null =>
  error instanceof SiteSwitched ? null : knowledgeErrorKey(errorCode(error));

/**
 * The selected site's knowledge base. While a page shows it (`showList` / `showSource` until
 * `leave`), it polls every `POLL_MS` as long as a crawl is queued or running, and stops as soon as
 * none is. The site comes from `SiteContext`; the store remembers only which site its lists hold,
 * and every request drops its answer when another site was selected meanwhile.
 */
@Injectable()
export class KnowledgeStore {
  private readonly api = inject(KnowledgeApi);
  private readonly sites = inject(SiteContext);

  /** The site whose sources the store holds (`undefined` before a page showed one). */
  private shownSite: string | null | undefined = undefined;
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
  private readonly adder = new Action(knowledgeFailure);
  readonly adding = this.adder.busy;
  readonly addError = this.adder.error;
  /** A recrawl or delete. */
  private readonly changer = new Action(knowledgeFailure);
  readonly actionError = this.changer.error;
  private readonly searcher = new Action(knowledgeFailure);
  readonly searching = this.searcher.busy;
  readonly searchError = this.searcher.error;
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

  /** The list page shows the selected site: sources and unanswered questions, polled while crawling. */
  async showList(): Promise<void> {
    this.followSelection();
    this.view = { kind: 'list' };
    await Promise.all([this.refresh(), this.loadUnanswered()]);
  }

  /** The detail page shows one source with its pages, polled while it is crawled. */
  async showSource(sourceId: string): Promise<void> {
    this.followSelection();
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
      this.adder.fail(problem === 'invalid' ? 'knowledge.error.url' : 'knowledge.error.notAllowed');
      return false;
    }
    const { pageLimit, depthLimit } = limits;
    if (
      (pageLimit !== undefined && (pageLimit < 1 || pageLimit > CRAWL_PAGE_LIMIT_MAX)) ||
      (depthLimit !== undefined && (depthLimit < 0 || depthLimit > CRAWL_DEPTH_LIMIT_MAX))
    ) {
      this.adder.fail('knowledge.error.limits');
      return false;
    }
    return this.add({ type: 'crawl', url: url.trim(), ...limits });
  }

  async addQa(question: string, answer: string): Promise<boolean> {
    if (!question.trim() || !answer.trim()) {
      this.adder.fail('knowledge.error.qaEmpty');
      return false;
    }
    return this.add({ type: 'qa', question: question.trim(), answer: answer.trim() });
  }

  async upload(file: File | null): Promise<boolean> {
    const problem = file ? uploadProblem(file) : 'empty';
    if (!file || problem) {
      this.adder.fail(
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
    await this.onSite(
      this.changer,
      (siteId) => this.api.recrawl(siteId, sourceId),
      (source) => {
        this.replace(source);
        this.schedule();
      },
    );
  }

  async remove(sourceId: string): Promise<boolean> {
    return this.onSite(
      this.changer,
      async (siteId) => {
        try {
          await this.api.remove(siteId, sourceId);
        } catch (error) {
          if (errorCode(error) !== 'SOURCE_NOT_FOUND') throw error; // already gone: same outcome
        }
      },
      () => {
        this.sourcesValue.update((sources) => sources.filter((s) => s.id !== sourceId));
        if (this.detail()?.id === sourceId) this.detailValue.set(null);
      },
    );
  }

  /** "Test a question": the passages the assistant would answer from. */
  async search(query: string): Promise<void> {
    if (!this.siteId()) return;
    if (!query.trim()) {
      this.searcher.fail('knowledge.error.queryEmpty');
      return;
    }
    await this.onSite(
      this.searcher,
      (siteId) => this.api.search(siteId, query.trim()),
      ({ passages }) => this.passagesValue.set(passages),
    );
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

  /** The selected site while the store holds its lists; `null` between a switch and its showing. */
  private siteId(): string | null {
    const selected = this.sites.siteId();
    return selected === this.shownSite ? selected : null;
  }

  /** A page shows the selected site: another site's lists are dropped, not shown under its name. */
  private followSelection(): void {
    const siteId = this.sites.siteId();
    if (siteId === this.shownSite) return;
    this.generation += 1;
    this.stopTimer();
    this.shownSite = siteId;
    this.sourcesValue.set([]);
    this.loadedValue.set(false);
    this.loadFailedValue.set(false);
    this.detailValue.set(null);
    this.passagesValue.set(null);
    this.unansweredValue.set([]);
    this.unansweredErrorValue.set(null);
    this.adder.clear();
    this.changer.clear();
    this.searcher.clear();
  }

  private add(request: CreateKnowledgeSourceRequest): Promise<boolean> {
    return this.run((siteId) => this.api.create(siteId, request));
  }

  /** Adds a source through the API and shows it at once; a crawl starts the polling. */
  private run(create: (siteId: string) => Promise<KnowledgeSource>): Promise<boolean> {
    if (this.adding()) return Promise.resolve(false);
    return this.onSite(this.adder, create, (source) => {
      this.sourcesValue.update((sources) => [source, ...sources.filter((s) => s.id !== source.id)]);
      this.schedule();
      // A Q&A entry or a file is indexed at once and may answer listed questions ("Answer it"):
      // the server drops those when the list is fetched. Not awaited: the form is done already.
      if (!inProgress(source)) void this.loadUnanswered();
    });
  }

  /**
   * Asks the API about the selected site through `action`, then `apply`s the answer: `false` when
   * no site is shown, the request failed, or another site was selected meanwhile (then the answer,
   * or the failure, belongs to a site no longer shown and is dropped).
   */
  private onSite<T>(
    action: Action<MessageKey>,
    ask: (siteId: string) => Promise<T>,
    apply: (answer: T) => void,
  ): Promise<boolean> {
    const siteId = this.siteId();
    if (!siteId) return Promise.resolve(false);
    const stillShown = () => {
      if (siteId !== this.siteId()) throw new SiteSwitched();
    };
    return action.run(async () => {
      const answer = await ask(siteId).catch((error: unknown) => {
        stillShown();
        throw error;
      });
      stillShown();
      apply(answer);
    });
  }

  /** What the add form found wrong before asking the API (a file too large), or `null`. */
  showAddError(key: MessageKey | null): void {
    if (key) this.adder.fail(key);
    else this.adder.clear();
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
