import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  Conversation,
  ConversationListQuery,
  ConversationSeenRequest,
  Message,
  Page,
  Transcript,
  UpdateConversationRequest,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

const conversationPath = (siteId: string, conversationId: string) =>
  route('/api/v1/sites/{siteId}/conversations/{conversationId}', { siteId, conversationId });

@Injectable({ providedIn: 'root' })
export class InboxApi {
  private readonly http = inject(HttpClient);

  list(siteId: string, query: ConversationListQuery): Promise<Page<Conversation>> {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query) as [string, string | number | boolean | undefined][]) {
      if (value !== undefined && value !== '') params[key] = String(value);
    }
    return firstValueFrom(
      this.http.get<Page<Conversation>>(route('/api/v1/sites/{siteId}/conversations', { siteId }), {
        params,
      }),
    );
  }

  get(siteId: string, conversationId: string): Promise<Transcript> {
    return firstValueFrom(this.http.get<Transcript>(conversationPath(siteId, conversationId)));
  }

  update(siteId: string, conversationId: string, body: UpdateConversationRequest): Promise<Conversation> {
    return firstValueFrom(this.http.patch<Conversation>(conversationPath(siteId, conversationId), body));
  }

  /** The team has read the conversation up to `seq`; the answer carries the position kept. */
  seen(siteId: string, conversationId: string, seq: number): Promise<Conversation> {
    const body: ConversationSeenRequest = { seq };
    return firstValueFrom(
      this.http.put<Conversation>(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/seen', { siteId, conversationId }),
        body,
      ),
    );
  }

  remove(siteId: string, conversationId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(conversationPath(siteId, conversationId)));
  }

  reply(siteId: string, conversationId: string, id: string, body: string): Promise<Message> {
    return firstValueFrom(
      this.http.post<Message>(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', { siteId, conversationId }),
        { id, body },
      ),
    );
  }
}
