import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CreateWebhookRequest,
  Page,
  UpdateWebhookRequest,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookTestResponse,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

/** The site's webhook endpoints and their delivery logs. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  private base(siteId: string): string {
    return `/api/v1/sites/${siteId}/webhooks`;
  }

  list(siteId: string): Promise<Page<WebhookEndpoint>> {
    return firstValueFrom(
      this.http.get<Page<WebhookEndpoint>>(this.base(siteId), { params: { limit: '100' } }),
    );
  }

  create(siteId: string, request: CreateWebhookRequest): Promise<WebhookEndpointWithSecret> {
    return firstValueFrom(this.http.post<WebhookEndpointWithSecret>(this.base(siteId), request));
  }

  update(siteId: string, webhookId: string, request: UpdateWebhookRequest): Promise<WebhookEndpoint> {
    return firstValueFrom(this.http.patch<WebhookEndpoint>(`${this.base(siteId)}/${webhookId}`, request));
  }

  remove(siteId: string, webhookId: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`${this.base(siteId)}/${webhookId}`));
  }

  rotateSecret(siteId: string, webhookId: string): Promise<WebhookEndpointWithSecret> {
    return firstValueFrom(
      this.http.post<WebhookEndpointWithSecret>(`${this.base(siteId)}/${webhookId}/rotate-secret`, null),
    );
  }

  test(siteId: string, webhookId: string): Promise<WebhookTestResponse> {
    return firstValueFrom(
      this.http.post<WebhookTestResponse>(`${this.base(siteId)}/${webhookId}/test`, null),
    );
  }

  redeliver(siteId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    return firstValueFrom(
      this.http.post<WebhookDelivery>(
        `${this.base(siteId)}/${webhookId}/deliveries/${deliveryId}/redeliver`,
        null,
      ),
    );
  }

  deliveries(siteId: string, webhookId: string, cursor?: string): Promise<Page<WebhookDelivery>> {
    const params: Record<string, string> = { limit: '50' };
    if (cursor) params['cursor'] = cursor;
    return firstValueFrom(
      this.http.get<Page<WebhookDelivery>>(`${this.base(siteId)}/${webhookId}/deliveries`, { params }),
    );
  }
}
