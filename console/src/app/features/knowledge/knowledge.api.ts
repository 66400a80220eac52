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

const base = (siteId: string): string => `/api/v1/sites/${siteId}/knowledge`;

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
        this.http.get<Page<KnowledgeSource>>(`${base(siteId)}/sources`, { params }),
      );
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  source(siteId: string, sourceId: string): Promise<KnowledgeSourceDetail> {
    return firstValueFrom(this.http.get<KnowledgeSourceDetail>(`${base(siteId)}/sources/${sourceId}`));
  }

  create(siteId: string, body: CreateKnowledgeSourceRequest): Promise<KnowledgeSource> {
    return firstValueFrom(this.http.post<KnowledgeSource>(`${base(siteId)}/sources`, body));
  }

  upload(siteId: string, file: File): Promise<KnowledgeSource> {
    const form = new FormData();
    form.append('file', file, file.name);
    return firstValueFrom(this.http.post<KnowledgeSource>(`${base(siteId)}/uploads`, form));
  }

  recrawl(siteId: string, sourceId: string): Promise<KnowledgeSource> {
    return firstValueFrom(this.http.post<KnowledgeSource>(`${base(siteId)}/sources/${sourceId}/recrawl`, {}));
  }

  remove(siteId: string, sourceId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${base(siteId)}/sources/${sourceId}`));
  }

  search(siteId: string, query: string): Promise<KnowledgeSearchResponse> {
    return firstValueFrom(this.http.post<KnowledgeSearchResponse>(`${base(siteId)}/search`, { query }));
  }

  async unanswered(siteId: string): Promise<UnansweredQuestion[]> {
    const body = await firstValueFrom(
      this.http.get<UnansweredQuestionsResponse>(`${base(siteId)}/unanswered`),
    );
    return body.items;
  }

  /** Takes a question off the unanswered list (admins and owners; 404 `QUESTION_NOT_FOUND` if unknown). */
  dismissUnanswered(siteId: string, questionId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${base(siteId)}/unanswered/${questionId}`));
  }
}
