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

  readonly siteId = signal<string | null>(null);
  readonly sources = signal<KnowledgeSource[]>([]);
  readonly loaded = signal(false);
  readonly loadFailed = signal(false);
  readonly detail = signal<KnowledgeSourceDetail | null>(null);
  readonly detailMissing = signal(false);
  /** Adding a source: one at a time. */
  readonly adding = signal(false);
  readonly addError = signal<MessageKey | null>(null);
  /** A recrawl or delete that failed. */
  readonly actionError = signal<MessageKey | null>(null);
  readonly searching = signal(false);
  readonly searchError = signal<MessageKey | null>(null);
  /** `null` until a question was tested. */
  readonly passages = signal<Passage[] | null>(null);
  readonly unanswered = signal<UnansweredQuestion[]>([]);
  /** A dismissal that failed: shown by the unanswered list, where it was asked for. */
  readonly unansweredError = signal<MessageKey | null>(null);
  readonly crawling = computed(() => this.sources().filter(inProgress));
  readonly polling = signal(false);

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
    if (this.detail()?.id !== sourceId) this.detail.set(null);
    this.detailMissing.set(false);
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
        this.sources.set([...sources].sort(newestFirst));
        this.loadFailed.set(false);
        // New pages may answer listed questions: the server drops those when the list is fetched.
        if (finished) void this.loadUnanswered();
      } catch {
        if (generation !== this.generation) return;
        this.loadFailed.set(true);
      }
      this.loaded.set(true);
    } else {
      try {
        const detail = await this.api.source(siteId, view.sourceId);
        if (generation !== this.generation || this.view !== view) return;
        this.detail.set(detail);
        this.replace(detail);
        this.loadFailed.set(false);
      } catch (error) {
        if (generation !== this.generation || this.view !== view) return;
        if (errorCode(error) === 'SOURCE_NOT_FOUND') {
          this.detail.set(null);
          this.detailMissing.set(true);
        } else {
          this.loadFailed.set(true);
        }
      }
    }
    if (this.view === view) this.schedule();
  }

  async addCrawl(url: string, allowedOrigins: readonly string[], limits: Limits = {}): Promise<boolean> {
    const problem = crawlUrlProblem(url, allowedOrigins);
    if (problem) {
      this.addError.set(problem === 'invalid' ? 'knowledge.error.url' : 'knowledge.error.notAllowed');
      return false;
    }
    const { pageLimit, depthLimit } = limits;
    if (
      (pageLimit !== undefined && (pageLimit < 1 || pageLimit > CRAWL_PAGE_LIMIT_MAX)) ||
      (depthLimit !== undefined && (depthLimit < 0 || depthLimit > CRAWL_DEPTH_LIMIT_MAX))
    ) {
      this.addError.set('knowledge.error.limits');
      return false;
    }
    return this.add({ type: 'crawl', url: url.trim(), ...limits });
  }

  async addQa(question: string, answer: string): Promise<boolean> {
    if (!question.trim() || !answer.trim()) {
      this.addError.set('knowledge.error.qaEmpty');
      return false;
    }
    return this.add({ type: 'qa', question: question.trim(), answer: answer.trim() });
  }

  async upload(file: File | null): Promise<boolean> {
    const problem = file ? uploadProblem(file) : 'empty';
    if (!file || problem) {
      this.addError.set(
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
      this.sources.update((sources) => sources.filter((s) => s.id !== sourceId));
      if (this.detail()?.id === sourceId) this.detail.set(null);
    });
  }

  /** "Test a question": the passages the assistant would answer from. */
  async search(query: string): Promise<void> {
    const siteId = this.siteId();
    if (!siteId) return;
    if (!query.trim()) {
      this.searchError.set('knowledge.error.queryEmpty');
      return;
    }
    this.searching.set(true);
    this.searchError.set(null);
    try {
      const { passages } = await this.api.search(siteId, query.trim());
      if (siteId === this.siteId()) this.passages.set(passages);
    } catch (error) {
      if (siteId === this.siteId()) this.searchError.set(knowledgeErrorKey(errorCode(error)));
    } finally {
      this.searching.set(false);
    }
  }

  async loadUnanswered(): Promise<void> {
    const siteId = this.siteId();
    if (!siteId) return;
    try {
      const items = await this.api.unanswered(siteId);
      if (siteId === this.siteId()) this.unanswered.set(items.filter((q) => !this.dismissed.has(q.id)));
    } catch {
      // The list is a hint; the sources above matter more. It comes back on the next load.
    }
  }

  /** "Dismiss": off the list at once; back in its place, with the reason, if the API refuses. */
  async dismiss(question: UnansweredQuestion): Promise<boolean> {
    const siteId = this.siteId();
    if (!siteId || this.dismissed.has(question.id)) return false;
    this.dismissed.add(question.id);
    this.unansweredError.set(null);
    this.unanswered.update((items) => items.filter((q) => q.id !== question.id));
    try {
      await this.api.dismissUnanswered(siteId, question.id);
      return true;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'QUESTION_NOT_FOUND') return true; // already gone: same outcome
      this.dismissed.delete(question.id);
      if (siteId === this.siteId()) {
        this.unanswered.update((items) =>
          [...items.filter((q) => q.id !== question.id), question].sort(lastAskedFirst),
        );
        this.unansweredError.set(knowledgeErrorKey(code));
      }
      return false;
    }
  }

  private useSite(siteId: string | null): void {
    if (siteId === this.siteId()) return;
    this.generation += 1;
    this.stopTimer();
    this.siteId.set(siteId);
    this.sources.set([]);
    this.loaded.set(false);
    this.loadFailed.set(false);
    this.detail.set(null);
    this.passages.set(null);
    this.unanswered.set([]);
    this.unansweredError.set(null);
    this.addError.set(null);
    this.actionError.set(null);
    this.searchError.set(null);
  }

  private add(request: CreateKnowledgeSourceRequest): Promise<boolean> {
    return this.run((siteId) => this.api.create(siteId, request));
  }

  /** Adds a source through the API and shows it at once; a crawl starts the polling. */
  private async run(create: (siteId: string) => Promise<KnowledgeSource>): Promise<boolean> {
    const siteId = this.siteId();
    if (!siteId || this.adding()) return false;
    this.adding.set(true);
    this.addError.set(null);
    try {
      const source = await create(siteId);
      if (siteId !== this.siteId()) return false;
      this.sources.update((sources) => [source, ...sources.filter((s) => s.id !== source.id)]);
      this.schedule();
      // A Q&A entry or a file is indexed at once and may answer listed questions ("Answer it"):
      // the server drops those when the list is fetched. Not awaited: the form is done already.
      if (!inProgress(source)) void this.loadUnanswered();
      return true;
    } catch (error) {
      if (siteId === this.siteId()) this.addError.set(knowledgeErrorKey(errorCode(error)));
      return false;
    } finally {
      this.adding.set(false);
    }
  }

  private async act(work: (siteId: string) => Promise<void>): Promise<boolean> {
    const siteId = this.siteId();
    if (!siteId) return false;
    this.actionError.set(null);
    try {
      await work(siteId);
      return true;
    } catch (error) {
      if (siteId === this.siteId()) this.actionError.set(knowledgeErrorKey(errorCode(error)));
      return false;
    }
  }

  private replace(source: KnowledgeSource): void {
    this.sources.update((sources) => sources.map((s) => (s.id === source.id ? { ...s, ...source } : s)));
    this.detail.update((detail) => (detail?.id === source.id ? { ...detail, ...source } : detail));
  }

  private schedule(): void {
    this.stopTimer();
    const view = this.view;
    if (!view) return;
    const detail = this.detail();
    const busy =
      view.kind === 'list' ? this.sources().some(inProgress) : detail !== null && inProgress(detail);
    if (!busy) return;
    this.polling.set(true);
    this.timer = setTimeout(() => void this.refresh(), POLL_MS);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.polling.set(false);
  }
}

export interface Limits {
  pageLimit?: number;
  depthLimit?: number;
}
