import { HttpClient, type HttpResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AuditEvent,
  ErasureResult,
  Page,
  PrivacyConversationSubject,
  PrivacyRequest,
  PrivacySubjectRequest,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

@Injectable({ providedIn: 'root' })
export class PrivacyApi {
  private readonly http = inject(HttpClient);

  export(siteId: string, subject: PrivacySubjectRequest): Promise<HttpResponse<Blob>> {
    return firstValueFrom(
      this.http.post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId }), subject, {
        responseType: 'blob',
        observe: 'response',
      }),
    );
  }

  /** The widget's visitor id (and email) behind a conversation: admins and owners only. */
  conversationSubject(siteId: string, conversationId: string): Promise<PrivacyConversationSubject> {
    return firstValueFrom(
      this.http.get<PrivacyConversationSubject>(
        route('/api/v1/sites/{siteId}/privacy/conversations/{conversationId}/subject', {
          siteId,
          conversationId,
        }),
      ),
    );
  }

  erase(siteId: string, subject: PrivacySubjectRequest): Promise<ErasureResult> {
    return firstValueFrom(
      this.http.post<ErasureResult>(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId }), subject),
    );
  }

  requests(siteId: string, cursor?: string): Promise<Page<PrivacyRequest>> {
    const params: Record<string, string> = { limit: '100' };
    if (cursor) params['cursor'] = cursor;
    return firstValueFrom(
      this.http.get<Page<PrivacyRequest>>(route('/api/v1/sites/{siteId}/privacy/requests', { siteId }), {
        params,
      }),
    );
  }

  auditEvents(organizationId: string, cursor?: string): Promise<Page<AuditEvent>> {
    const params: Record<string, string> = { limit: '100' };
    if (cursor) params['cursor'] = cursor;
    return firstValueFrom(
      this.http.get<Page<AuditEvent>>(
        route('/api/v1/organizations/{orgId}/audit-events', { orgId: organizationId }),
        { params },
      ),
    );
  }
}
