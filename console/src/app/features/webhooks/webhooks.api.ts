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

import { route } from '@cloop/client/route';

const webhookPath = (siteId: string, webhookId: string) =>
  route('/api/v1/sites/{siteId}/webhooks/{webhookId}', { siteId, webhookId });

/** The site's webhook endpoints and their delivery logs. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  list(siteId: string): Promise<Page<WebhookEndpoint>> {
    return firstValueFrom(
      this.http.get<Page<WebhookEndpoint>>(route('/api/v1/sites/{siteId}/webhooks', { siteId }), {
        params: { limit: '100' },
      }),
    );
  }

  create(siteId: string, request: CreateWebhookRequest): Promise<WebhookEndpointWithSecret> {
    return firstValueFrom(
      this.http.post<WebhookEndpointWithSecret>(
        route('/api/v1/sites/{siteId}/webhooks', { siteId }),
        request,
      ),
    );
  }

  update(siteId: string, webhookId: string, request: UpdateWebhookRequest): Promise<WebhookEndpoint> {
    return firstValueFrom(this.http.patch<WebhookEndpoint>(webhookPath(siteId, webhookId), request));
  }

  remove(siteId: string, webhookId: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(webhookPath(siteId, webhookId)));
  }

  rotateSecret(siteId: string, webhookId: string): Promise<WebhookEndpointWithSecret> {
    return firstValueFrom(
      this.http.post<WebhookEndpointWithSecret>(
        route('/api/v1/sites/{siteId}/webhooks/{webhookId}/rotate-secret', { siteId, webhookId }),
        null,
      ),
    );
  }

  test(siteId: string, webhookId: string): Promise<WebhookTestResponse> {
    return firstValueFrom(
      this.http.post<WebhookTestResponse>(
        route('/api/v1/sites/{siteId}/webhooks/{webhookId}/test', { siteId, webhookId }),
        null,
      ),
    );
  }

  redeliver(siteId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    return firstValueFrom(
      this.http.post<WebhookDelivery>(
        route('/api/v1/sites/{siteId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', {
          siteId,
          webhookId,
          deliveryId,
        }),
        null,
      ),
    );
  }

  deliveries(siteId: string, webhookId: string, cursor?: string): Promise<Page<WebhookDelivery>> {
    const params: Record<string, string> = { limit: '50' };
    if (cursor) params['cursor'] = cursor;
    return firstValueFrom(
      this.http.get<Page<WebhookDelivery>>(
        route('/api/v1/sites/{siteId}/webhooks/{webhookId}/deliveries', { siteId, webhookId }),
        { params },
      ),
    );
  }
}
