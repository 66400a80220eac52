import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  type ErrorCode,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  type RealtimeEvent,
  type UnansweredQuestion,
  UPLOAD_MAX_BYTES,
} from '@cloop/contracts';

import { Realtime } from '../../core/realtime/realtime';
import { SiteContext } from '../../core/site/site-context';
import { createMessage, createUnansweredQuestion, settle } from '../../testing/factories';
import { KnowledgeApi } from './knowledge.api';
import { crawlUrlProblem, uploadProblem } from './knowledge-input';
import { POLL_MS, KnowledgeStore } from './knowledge.store';

let sequence = 0;
function createSource(overrides: Partial<KnowledgeSource> = {}): KnowledgeSource {
  sequence += 1;
  return {
    id: `source-${sequence}`,
    siteId: 'site-1',
    type: 'crawl',
    title: 'https://shop.example/',
    url: 'https://shop.example/',
    status: 'ready',
    error: null,
    pageLimit: 200,
    depthLimit: 3,
    documentCount: 3,
    chunkCount: 7,
    createdAt: new Date(Date.UTC(2026, 10, 29, 10, sequence)).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 10, 29, 10, sequence)).toISOString(),
    crawledAt: null,
    ...overrides,
  };
}

const apiError = (code: ErrorCode, status = 400): HttpErrorResponse =>
  new HttpErrorResponse({ status, error: { statusCode: status, error: 'Bad Request', message: code, code } });

class FakeRealtime {
  listeners: ((event: RealtimeEvent) => void)[] = [];
  on(listener: (event: RealtimeEvent) => void): () => void {
    this.listeners.push(listener);
    return () => undefined;
  }
  emit(event: RealtimeEvent): void {
    this.listeners.forEach((listener) => listener(event));
  }
}

function setUp(listings: KnowledgeSource[][] = []) {
  const api = {
    sources: jest.fn(() =>
      Promise.resolve(listings.length > 1 ? (listings.shift() ?? []) : (listings[0] ?? [])),
    ),
    source: jest.fn(),
    create: jest.fn(),
    upload: jest.fn(),
    recrawl: jest.fn(),
    remove: jest.fn((): Promise<unknown> => Promise.resolve(null)),
    search: jest.fn(),
    unanswered: jest.fn((): Promise<UnansweredQuestion[]> => Promise.resolve([])),
    dismissUnanswered: jest.fn((): Promise<unknown> => Promise.resolve(null)),
  };
  const realtime = new FakeRealtime();
  const selected = signal<string | null>('site-1');
  TestBed.configureTestingModule({
    providers: [
      KnowledgeStore,
      { provide: KnowledgeApi, useValue: api },
      { provide: Realtime, useValue: realtime },
      { provide: SiteContext, useValue: { siteId: selected.asReadonly() } },
    ],
  });
  return { store: TestBed.inject(KnowledgeStore), api, realtime, selected };
}

const ORIGINS = ['https://shop.example'];

describe('KnowledgeStore', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lists the sources newest first, with the unanswered questions', async () => {
    const older = createSource({ title: 'older' });
    const newer = createSource({ title: 'newer' });
    const { store, api } = setUp([[older, newer]]);
    api.unanswered.mockResolvedValue([createUnansweredQuestion({ question: 'Gift cards?' })]);
    await store.showList();
    expect(store.sources().map((s) => s.title)).toEqual(['newer', 'older']);
    expect(store.unanswered().map((q) => q.question)).toEqual(['Gift cards?']);
    expect(store.loaded()).toBe(true);
    expect(store.polling()).toBe(false);
  });

  it('polls while a crawl is queued or running and stops once none is', async () => {
    const queued = createSource({ status: 'queued', documentCount: 0 });
    const { store, api } = setUp([
      [queued],
      [{ ...queued, status: 'running', documentCount: 2 }],
      [{ ...queued, status: 'ready', documentCount: 5, chunkCount: 12 }],
    ]);
    await store.showList();
    expect(store.polling()).toBe(true);
    expect(store.crawling()).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(store.sources()[0]).toMatchObject({ status: 'running', documentCount: 2 });
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(store.sources()[0]).toMatchObject({ status: 'ready', documentCount: 5, chunkCount: 12 });
    expect(store.polling()).toBe(false);

    await jest.advanceTimersByTimeAsync(POLL_MS * 5);
    expect(api.sources).toHaveBeenCalledTimes(3);
  });

  it('stops polling when the page is left, even with a crawl still running', async () => {
    const { store, api } = setUp([[createSource({ status: 'running' })]]);
    await store.showList();
    store.leave('list');
    await jest.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(api.sources).toHaveBeenCalledTimes(1);
    expect(store.polling()).toBe(false);
  });

  it('keeps polling when the next page took over before the previous one was destroyed', async () => {
    const running = createSource({ status: 'running' });
    const { store, api } = setUp([[running]]);
    api.source.mockResolvedValue({ ...running, documents: [] });
    await store.showSource(running.id);
    await store.showList();
    store.leave('source');
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(api.sources).toHaveBeenCalledTimes(2);
  });

  it('drops an answer that arrives after another site was chosen', async () => {
    const { store, api, selected } = setUp();
    let answer: (sources: KnowledgeSource[]) => void = () => undefined;
    api.sources.mockReturnValueOnce(new Promise((done) => (answer = done)));
    const first = store.showList();
    api.sources.mockResolvedValueOnce([createSource({ siteId: 'site-2', title: 'mine' })]);
    selected.set('site-2');
    await store.showList();
    answer([createSource({ title: 'stale' })]);
    await first;
    expect(store.sources().map((s) => s.title)).toEqual(['mine']);
  });

  it('drops a search answer, an added source and their failures once another site is selected', async () => {
    const { store, api, selected } = setUp([[]]);
    await store.showList();
    let answerSearch: (found: { passages: [] }) => void = () => undefined;
    api.search.mockReturnValueOnce(new Promise((done) => (answerSearch = done)));
    let refuseCreate: (error: unknown) => void = () => undefined;
    api.create.mockReturnValueOnce(new Promise((_, refuse) => (refuseCreate = refuse)));
    const searching = store.search('refunds');
    const adding = store.addQa('Open on Sundays?', 'No.');
    expect(store.searching()).toBe(true);
    expect(store.adding()).toBe(true);

    selected.set('site-2');
    answerSearch({ passages: [] });
    refuseCreate(apiError('VALIDATION_FAILED'));
    await expect(adding).resolves.toBe(false);
    await searching;
    expect(store.passages()).toBeNull();
    expect(store.addError()).toBeNull();
    expect(store.searchError()).toBeNull();
    expect(store.searching()).toBe(false);
    expect(store.adding()).toBe(false);
    await expect(store.recrawl('source-x')).resolves.toBeUndefined();
    expect(api.recrawl).not.toHaveBeenCalled();
  });

  it('checks a crawl URL before asking the API, and explains what the API refused', async () => {
    const { store, api } = setUp([[]]);
    await store.showList();

    await expect(store.addCrawl('shop.example', ORIGINS)).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.url');
    await expect(store.addCrawl('https://elsewhere.example/', ORIGINS)).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.notAllowed');
    await expect(store.addCrawl('https://shop.example/', ORIGINS, { pageLimit: 0 })).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.limits');
    expect(api.create).not.toHaveBeenCalled();

    api.create.mockRejectedValueOnce(apiError('CRAWL_URL_NOT_ALLOWED'));
    await expect(store.addCrawl('https://shop.example/', ORIGINS)).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.notAllowed');
    expect(store.adding()).toBe(false);
  });

  it('shows a new crawl at once and starts polling for its progress', async () => {
    const { store, api } = setUp([[]]);
    await store.showList();
    const created = createSource({ status: 'queued', documentCount: 0 });
    api.create.mockResolvedValue(created);
    api.sources.mockResolvedValue([{ ...created, status: 'ready' }]);

    await expect(
      store.addCrawl(' https://shop.example/sitemap.xml ', ORIGINS, { pageLimit: 50, depthLimit: 2 }),
    ).resolves.toBe(true);
    expect(api.create).toHaveBeenCalledWith('site-1', {
      type: 'crawl',
      url: 'https://shop.example/sitemap.xml',
      pageLimit: 50,
      depthLimit: 2,
    });
    expect(store.sources()[0]?.id).toBe(created.id);
    expect(store.addError()).toBeNull();
    expect(store.polling()).toBe(true);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(store.sources()[0]?.status).toBe('ready');
    expect(store.polling()).toBe(false);
  });

  it('adds a question and answer, trimmed, and refuses an empty one', async () => {
    const { store, api } = setUp([[]]);
    await store.showList();
    await expect(store.addQa('  ', 'Yes')).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.qaEmpty');

    const qa = createSource({ type: 'qa', title: 'Gift cards?', url: null, pageLimit: null });
    api.create.mockResolvedValue(qa);
    await expect(store.addQa(' Gift cards? ', ' Yes, from 10 €. ')).resolves.toBe(true);
    expect(api.create).toHaveBeenCalledWith('site-1', {
      type: 'qa',
      question: 'Gift cards?',
      answer: 'Yes, from 10 €.',
    });
    expect(store.sources()).toEqual([qa]);
    expect(store.polling()).toBe(false);
  });

  it('refuses a file that is too large, empty or of an unreadable type without uploading it', async () => {
    const { store, api } = setUp([[]]);
    await store.showList();
    const big = new File(['x'], 'manual.pdf', { type: 'application/pdf' });
    Object.defineProperty(big, 'size', { value: UPLOAD_MAX_BYTES + 1 });

    await expect(store.upload(big)).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.tooLarge');
    await expect(store.upload(new File([''], 'empty.md'))).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.emptyFile');
    await expect(store.upload(new File(['x'], 'sheet.xlsx'))).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.unsupportedType');
    await expect(store.upload(null)).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.noFile');
    expect(api.upload).not.toHaveBeenCalled();

    api.upload.mockRejectedValueOnce(apiError('FILE_UNREADABLE'));
    await expect(store.upload(new File(['%PDF-'], 'scan.pdf'))).resolves.toBe(false);
    expect(store.addError()).toBe('knowledge.error.unreadable');

    const uploaded = createSource({ type: 'upload', title: 'faq.md', url: null });
    api.upload.mockResolvedValueOnce(uploaded);
    await expect(store.upload(new File(['# FAQ'], 'faq.md'))).resolves.toBe(true);
    expect(store.sources()).toEqual([uploaded]);
    expect(store.addError()).toBeNull();
  });

  it('deletes a source, also one that was already gone, and reports other failures', async () => {
    const [a, b] = [createSource(), createSource()];
    const { store, api } = setUp([[a, b]]);
    await store.showList();

    await expect(store.remove(a.id)).resolves.toBe(true);
    expect(api.remove).toHaveBeenCalledWith('site-1', a.id);
    api.remove.mockRejectedValueOnce(apiError('SOURCE_NOT_FOUND', 404));
    await expect(store.remove(b.id)).resolves.toBe(true);
    expect(store.sources()).toEqual([]);

    api.remove.mockRejectedValueOnce(apiError('FORBIDDEN', 403));
    await expect(store.remove('other')).resolves.toBe(false);
    expect(store.actionError()).toBe('knowledge.adminOnly');
  });

  it('marks a recrawled source as queued and polls until it is done', async () => {
    const done = createSource({ status: 'ready' });
    const { store, api } = setUp([[done]]);
    await store.showList();
    api.recrawl.mockResolvedValue({ ...done, status: 'queued' });
    await store.recrawl(done.id);
    expect(store.sources()[0]?.status).toBe('queued');
    expect(store.polling()).toBe(true);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(store.sources()[0]?.status).toBe('ready');
    expect(store.polling()).toBe(false);
  });

  it('tests a question: passages, an empty result, and a refused query', async () => {
    const { store, api } = setUp([[]]);
    await store.showList();
    const passage = {
      chunkId: 'k1',
      sourceId: 's1',
      title: 'Shipping',
      url: 'https://shop.example/shipping',
      heading: 'Shipping › Finland',
      content: 'Orders to Finland arrive in 2–4 working days.',
      score: 0.8,
    };
    api.search.mockResolvedValueOnce({ passages: [passage] });
    await store.search(' shipping to Finland ');
    expect(api.search).toHaveBeenCalledWith('site-1', 'shipping to Finland');
    expect(store.passages()).toEqual([passage]);

    api.search.mockResolvedValueOnce({ passages: [] });
    await store.search('gift cards');
    expect(store.passages()).toEqual([]);

    await store.search('   ');
    expect(store.searchError()).toBe('knowledge.error.queryEmpty');
    expect(api.search).toHaveBeenCalledTimes(2);
  });

  it('reloads the unanswered questions when the assistant answers on this site', async () => {
    const { store, api, realtime } = setUp([[]]);
    await store.showList();
    expect(api.unanswered).toHaveBeenCalledTimes(1);
    const answer = createMessage({ author: 'assistant', confidence: 0 });
    realtime.emit({ type: 'message.created', siteId: 'site-2', conversationId: 'c', message: answer });
    realtime.emit({
      type: 'message.created',
      siteId: 'site-1',
      conversationId: 'c',
      message: createMessage({ author: 'visitor' }),
    });
    expect(api.unanswered).toHaveBeenCalledTimes(1);
    realtime.emit({ type: 'message.created', siteId: 'site-1', conversationId: 'c', message: answer });
    expect(api.unanswered).toHaveBeenCalledTimes(2);
  });

  it('dismisses an unanswered question at once, before the API has answered', async () => {
    const older = createUnansweredQuestion();
    const newer = createUnansweredQuestion();
    const { store, api } = setUp([[]]);
    api.unanswered.mockResolvedValue([newer, older]);
    await store.showList();
    let done: (value: unknown) => void = () => undefined;
    api.dismissUnanswered.mockReturnValueOnce(new Promise((resolve) => (done = resolve)));

    const dismissal = store.dismiss(newer);
    expect(store.unanswered()).toEqual([older]);
    expect(api.dismissUnanswered).toHaveBeenCalledWith('site-1', newer.id);
    // A reload that raced the DELETE does not bring it back.
    await store.loadUnanswered();
    expect(store.unanswered()).toEqual([older]);
    done(null);
    await expect(dismissal).resolves.toBe(true);
    expect(store.unanswered()).toEqual([older]);
    expect(store.unansweredError()).toBeNull();
  });

  it('puts a question back in its place and says why when the dismissal fails', async () => {
    const third = createUnansweredQuestion();
    const second = createUnansweredQuestion();
    const first = createUnansweredQuestion();
    const { store, api } = setUp([[]]);
    api.unanswered.mockResolvedValue([first, second, third]);
    await store.showList();

    api.dismissUnanswered.mockRejectedValueOnce(apiError('FORBIDDEN', 403));
    await expect(store.dismiss(second)).resolves.toBe(false);
    expect(store.unanswered()).toEqual([first, second, third]);
    expect(store.unansweredError()).toBe('knowledge.adminOnly');

    api.dismissUnanswered.mockRejectedValueOnce(new HttpErrorResponse({ status: 0 }));
    await expect(store.dismiss(first)).resolves.toBe(false);
    expect(store.unanswered()).toEqual([first, second, third]);
    expect(store.unansweredError()).toBe('app.error');

    // It can be tried again, and a success clears the message.
    await expect(store.dismiss(second)).resolves.toBe(true);
    expect(store.unanswered()).toEqual([first, third]);
    expect(store.unansweredError()).toBeNull();
  });

  it('treats a question the API no longer knows as dismissed', async () => {
    const question = createUnansweredQuestion();
    const { store, api } = setUp([[]]);
    api.unanswered.mockResolvedValue([question]);
    await store.showList();
    api.dismissUnanswered.mockRejectedValueOnce(apiError('QUESTION_NOT_FOUND', 404));
    await expect(store.dismiss(question)).resolves.toBe(true);
    expect(store.unanswered()).toEqual([]);
    expect(store.unansweredError()).toBeNull();
  });

  it('reloads the unanswered questions after "Answer it" saved its answer, which drops that question', async () => {
    const asked = createUnansweredQuestion({ question: 'Gift cards?' });
    const other = createUnansweredQuestion();
    const { store, api } = setUp([[]]);
    api.unanswered.mockResolvedValueOnce([asked, other]);
    await store.showList();
    api.create.mockResolvedValue(createSource({ type: 'qa', title: 'Gift cards?', url: null }));
    api.unanswered.mockResolvedValueOnce([other]);

    await expect(store.addQa('Gift cards?', 'Yes, from 10 €.')).resolves.toBe(true);
    await settle();
    expect(api.unanswered).toHaveBeenCalledTimes(2);
    expect(store.unanswered()).toEqual([other]);

    // A refused entry changes nothing, so the list is not asked for again.
    api.create.mockRejectedValueOnce(apiError('VALIDATION_FAILED'));
    await expect(store.addQa('Gift cards?', 'Yes.')).resolves.toBe(false);
    await settle();
    expect(api.unanswered).toHaveBeenCalledTimes(2);
  });

  it('reloads the unanswered questions when a crawl finishes, not while it runs', async () => {
    const queued = createSource({ status: 'queued', documentCount: 0 });
    const { store, api } = setUp([
      [queued],
      [{ ...queued, status: 'running', documentCount: 2 }],
      [{ ...queued, status: 'ready', documentCount: 5 }],
    ]);
    await store.showList();
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(api.unanswered).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(api.unanswered).toHaveBeenCalledTimes(2);
  });

  it('shows one source with its pages, polls it while crawling, and says when it is gone', async () => {
    const source = createSource({ status: 'running', documentCount: 1 });
    const { store, api } = setUp([[]]);
    const detail = (overrides: Partial<KnowledgeSourceDetail>): KnowledgeSourceDetail => ({
      ...source,
      documents: [],
      ...overrides,
    });
    api.source
      .mockResolvedValueOnce(detail({}))
      .mockResolvedValueOnce(detail({ status: 'ready', documentCount: 2 }))
      .mockRejectedValueOnce(apiError('SOURCE_NOT_FOUND', 404));
    await store.showSource(source.id);
    expect(store.detail()?.status).toBe('running');
    expect(store.polling()).toBe(true);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(store.detail()).toMatchObject({ status: 'ready', documentCount: 2 });
    expect(store.polling()).toBe(false);

    await store.refresh();
    expect(store.detail()).toBeNull();
    expect(store.detailMissing()).toBe(true);
  });
});

describe('knowledge input checks', () => {
  it('accepts the file types the API reads, by extension or by type', () => {
    expect(uploadProblem({ name: 'faq.md', size: 10, type: '' })).toBeNull();
    expect(uploadProblem({ name: 'notes', size: 10, type: 'text/plain' })).toBeNull();
    expect(uploadProblem({ name: 'Manual.PDF', size: 10, type: '' })).toBeNull();
    expect(uploadProblem({ name: 'photo.png', size: 10, type: 'image/png' })).toBe('unsupportedType');
    expect(uploadProblem({ name: 'big.txt', size: UPLOAD_MAX_BYTES + 1, type: '' })).toBe('tooLarge');
    expect(uploadProblem({ name: 'exactly.txt', size: UPLOAD_MAX_BYTES, type: '' })).toBeNull();
  });

  it('accepts a crawl start on an allowed origin only, as browsers write origins', () => {
    expect(crawlUrlProblem('https://SHOP.example:443/sitemap.xml', ORIGINS)).toBeNull();
    expect(crawlUrlProblem('ftp://shop.example/', ORIGINS)).toBe('invalid');
    expect(crawlUrlProblem('not a url', ORIGINS)).toBe('invalid');
    expect(crawlUrlProblem('http://shop.example/', ORIGINS)).toBe('notAllowed');
  });
});
