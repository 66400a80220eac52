import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  type CreateKnowledgeSourceRequest,
  type KnowledgeSearchResponse,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  MAX_PAGE_LIMIT,
  type Page,
  type UnansweredQuestion,
  type UnansweredQuestionsResponse,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

const sourcePath = (siteId: string, sourceId: string) =>
  route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}', { siteId, sourceId });

/** The knowledge base of one site: sources, uploads, the test search and unanswered questions. */
@Injectable({ providedIn: 'root' })
export class KnowledgeApi {
  private readonly http = inject(HttpClient);

  /** Every source, oldest first (a site has tens, not thousands: all pages are fetched). */
  async sources(siteId: string): Promise<KnowledgeSource[]> {
    const all: KnowledgeSource[] = [];
    let cursor: string | null = null;
    do {
      const params: Record<string, string | number> = { limit: MAX_PAGE_LIMIT };
      if (cursor) params['cursor'] = cursor;
      const page: Page<KnowledgeSource> = await firstValueFrom(
        this.http.get<Page<KnowledgeSource>>(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId }), {
          params,
        }),
      );
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  source(siteId: string, sourceId: string): Promise<KnowledgeSourceDetail> {
    return firstValueFrom(this.http.get<KnowledgeSourceDetail>(sourcePath(siteId, sourceId)));
  }

  create(siteId: string, body: CreateKnowledgeSourceRequest): Promise<KnowledgeSource> {
    return firstValueFrom(
      this.http.post<KnowledgeSource>(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId }), body),
    );
  }

  upload(siteId: string, file: File): Promise<KnowledgeSource> {
    const form = new FormData();
    form.append('file', file, file.name);
    return firstValueFrom(
      this.http.post<KnowledgeSource>(route('/api/v1/sites/{siteId}/knowledge/uploads', { siteId }), form),
    );
  }

  recrawl(siteId: string, sourceId: string): Promise<KnowledgeSource> {
    return firstValueFrom(
      this.http.post<KnowledgeSource>(
        route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}/recrawl', { siteId, sourceId }),
        {},
      ),
    );
  }

  remove(siteId: string, sourceId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(sourcePath(siteId, sourceId)));
  }

  search(siteId: string, query: string): Promise<KnowledgeSearchResponse> {
    return firstValueFrom(
      this.http.post<KnowledgeSearchResponse>(route('/api/v1/sites/{siteId}/knowledge/search', { siteId }), {
        query,
      }),
    );
  }

  async unanswered(siteId: string): Promise<UnansweredQuestion[]> {
    const body = await firstValueFrom(
      this.http.get<UnansweredQuestionsResponse>(
        route('/api/v1/sites/{siteId}/knowledge/unanswered', { siteId }),
      ),
    );
    return body.items;
  }

  /** Takes a question off the unanswered list (admins and owners; 404 `QUESTION_NOT_FOUND` if unknown). */
  dismissUnanswered(siteId: string, questionId: string): Promise<unknown> {
    return firstValueFrom(
      this.http.delete(
        route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', { siteId, questionId }),
      ),
    );
  }
}
