import type { WebhookDelivery, WebhookEndpoint } from '@cloop/contracts';

import type { DeliveryRow, EndpointRow } from './webhooks.repository';

export function mapEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    siteId: row.site_id,
    url: row.url,
    events: row.events,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    secretCreatedAt: row.secret_created_at.toISOString(),
  };
}

export function mapDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type as WebhookDelivery['eventType'],
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at?.toISOString() ?? null) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    attemptLog: row.attempt_log,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
