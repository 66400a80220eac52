import type { WebhookAttempt, WebhookDeliveryStatus, WebhookEventType } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Keyset } from '../common/pagination';
import type { Tx } from '../database/transactions';

export interface EndpointRow {
  id: string;
  site_id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  secret_created_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  attempt_log: WebhookAttempt[];
  created_at: Date;
  updated_at: Date;
}

/** A delivery a worker has claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  site_id: string;
  event_id: string;
  event_type: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
  url: string;
  secret_encrypted: string;
}

export interface NewDelivery {
  siteId: string;
  eventId: string;
  eventType: string;
  visitorId: string | null;
  conversationId: string | null;
  payload: unknown;
  createdAt: Date;
}

export type AttemptOutcome =
  | { kind: 'succeeded' }
  | { kind: 'retry'; afterMs: number }
  | { kind: 'failed' }
  /** Interrupted by shutdown: the attempt does not count and the row is due again at once. */
  | { kind: 'released' };

const ENDPOINT_COLUMNS = `id, site_id, url, events, enabled, secret_created_at, created_at, updated_at`;
const DELIVERY_COLUMNS = `id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at,
  last_status_code, last_error, attempt_log, created_at, updated_at`;
/** Attempts kept per delivery in its log. */
const ATTEMPT_LOG_LENGTH = 20;

/** Every endpoint query is scoped by the (already authorized) site. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listEndpoints(siteId: string, after: Keyset | null, limit: number): Promise<EndpointRow[]> {
    return await this.dataSource.query<EndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
        WHERE site_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [siteId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
  }

  async findEndpoint(siteId: string, endpointId: string, tx?: Tx): Promise<EndpointRow | null> {
    const [row] = await (tx ?? this.dataSource).query<EndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE site_id = $1 AND id = $2`,
      [siteId, endpointId],
    );
    return row ?? null;
  }

  /** Locks the site's row: concurrent creations count the endpoints one at a time. */
  async countEndpointsLocked(tx: Tx, siteId: string): Promise<number> {
    await tx.query(`SELECT 1 FROM sites WHERE id = $1 FOR NO KEY UPDATE`, [siteId]);
    const [row] = await tx.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM webhook_endpoints WHERE site_id = $1`,
      [siteId],
    );
    return row?.count ?? 0;
  }

  async insertEndpoint(
    tx: Tx,
    endpoint: { id: string; siteId: string; url: string; events: string[]; enabled: boolean; secret: string },
  ): Promise<EndpointRow> {
    const [row] = await tx.query<EndpointRow[]>(
      `INSERT INTO webhook_endpoints (id, site_id, url, events, enabled, secret_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ENDPOINT_COLUMNS}`,
      [endpoint.id, endpoint.siteId, endpoint.url, endpoint.events, endpoint.enabled, endpoint.secret],
    );
    if (!row) throw new Error('webhook endpoint insert returned no row');
    return row;
  }

  async updateEndpoint(
    tx: Tx,
    siteId: string,
    endpointId: string,
    changes: { url?: string; events?: string[]; enabled?: boolean },
  ): Promise<EndpointRow | null> {
    const [rows] = await tx.query<[EndpointRow[], number]>(
      `UPDATE webhook_endpoints
          SET url = coalesce($3, url), events = coalesce($4, events), enabled = coalesce($5, enabled),
              updated_at = now()
        WHERE site_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [siteId, endpointId, changes.url ?? null, changes.events ?? null, changes.enabled ?? null],
    );
    return rows[0] ?? null;
  }

  async replaceSecret(
    tx: Tx,
    siteId: string,
    endpointId: string,
    secret: string,
  ): Promise<EndpointRow | null> {
    const [rows] = await tx.query<[EndpointRow[], number]>(
      `UPDATE webhook_endpoints SET secret_encrypted = $3, secret_created_at = now(), updated_at = now()
        WHERE site_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [siteId, endpointId, secret],
    );
    return rows[0] ?? null;
  }

  /** `true` if the endpoint existed; its deliveries go with it. */
  async deleteEndpoint(tx: Tx, siteId: string, endpointId: string): Promise<boolean> {
    const [, affected] = await tx.query<[unknown[], number]>(
      `DELETE FROM webhook_endpoints WHERE site_id = $1 AND id = $2`,
      [siteId, endpointId],
    );
    return affected > 0;
  }

  /**
   * One delivery per enabled endpoint of the site subscribed to the event type (or only to
   * `endpointId`, for test events); in the caller's transaction. Returns how many were queued.
   */
  async enqueue(tx: Tx, delivery: NewDelivery, endpointId: string | null = null): Promise<number> {
    const queued = await tx.query<unknown[]>(
      `INSERT INTO webhook_deliveries (endpoint_id, site_id, event_id, event_type, visitor_id, conversation_id,
          payload, next_attempt_at, created_at, updated_at)
       SELECT e.id, e.site_id, $2::uuid, $3::text, $4::uuid, $5::uuid, $6::jsonb, now(), $7::timestamptz,
              $7::timestamptz
         FROM webhook_endpoints e
        WHERE e.site_id = $1 AND e.enabled
          AND (CASE WHEN $8::uuid IS NULL THEN $3::text = ANY(e.events) ELSE e.id = $8::uuid END)
       RETURNING 1`,
      [
        delivery.siteId,
        delivery.eventId,
        delivery.eventType,
        delivery.visitorId,
        delivery.conversationId,
        JSON.stringify(delivery.payload),
        delivery.createdAt,
        endpointId,
      ],
    );
    return queued.length;
  }

  /**
   * Claims up to `limit` due deliveries of enabled endpoints: the attempt is counted and the row
   * leased for `leaseMs` (a worker that dies mid-attempt leaves it due again after the lease).
   * `SKIP LOCKED`: replicas claiming at the same moment take different rows.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const [rows] = await this.dataSource.query<[ClaimedDelivery[], number]>(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond',
              updated_at = clock_timestamp()
         FROM (SELECT w.id FROM webhook_deliveries w
                 JOIN webhook_endpoints e ON e.id = w.endpoint_id AND e.enabled
                WHERE w.status = 'pending' AND w.next_attempt_at <= now()
                ORDER BY w.next_attempt_at, w.id LIMIT $1
                  FOR UPDATE OF w SKIP LOCKED) due,
              webhook_endpoints e
        WHERE d.id = due.id AND e.id = d.endpoint_id
        RETURNING d.id, d.endpoint_id, d.site_id, d.event_id, d.event_type, d.payload, d.attempts,
                  d.created_at, e.url, e.secret_encrypted`,
      [limit, leaseMs],
    );
    return rows;
  }

  /**
   * Records an attempt's outcome, only if the row is still the one this worker claimed (an erasure
   * may have deleted it meanwhile, a lease may have run out).
   */
  async recordAttempt(
    delivery: Pick<ClaimedDelivery, 'id' | 'attempts'>,
    attempt: WebhookAttempt,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const status =
      outcome.kind === 'succeeded' ? 'succeeded' : outcome.kind === 'failed' ? 'failed' : 'pending';
    const delayMs = outcome.kind === 'retry' ? outcome.afterMs : outcome.kind === 'released' ? 0 : null;
    await this.dataSource.query(
      `UPDATE webhook_deliveries
          SET status = $3,
              attempts = attempts - $4::int,
              next_attempt_at = CASE WHEN $5::float8 IS NULL THEN NULL
                                     ELSE now() + $5::float8 * interval '1 millisecond' END,
              last_status_code = coalesce($6, CASE WHEN $4::int = 1 THEN last_status_code END),
              last_error = CASE WHEN $4::int = 1 THEN last_error ELSE $7 END,
              attempt_log = CASE WHEN $4::int = 1 THEN attempt_log
                                 ELSE (SELECT coalesce(jsonb_agg(entry ORDER BY n), '[]') FROM (
                                         SELECT entry, n FROM jsonb_array_elements(attempt_log || $8::jsonb)
                                           WITH ORDINALITY AS log(entry, n)
                                          ORDER BY n DESC LIMIT ${ATTEMPT_LOG_LENGTH}) kept) END,
              updated_at = clock_timestamp()
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [
        delivery.id,
        delivery.attempts,
        status,
        outcome.kind === 'released' ? 1 : 0,
        delayMs,
        attempt.statusCode,
        attempt.error,
        JSON.stringify([attempt]),
      ],
    );
  }

  async listDeliveries(
    siteId: string,
    endpointId: string,
    after: Keyset | null,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE site_id = $1 AND endpoint_id = $2
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [siteId, endpointId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
  }

  /**
   * Sends a delivery again with a fresh schedule (the log of earlier attempts stays); one still
   * pending is left as it is. `null` if the endpoint has no such delivery.
   */
  async redeliver(siteId: string, endpointId: string, deliveryId: string): Promise<DeliveryRow | null> {
    const [rows] = await this.dataSource.query<[DeliveryRow[], number]>(
      `UPDATE webhook_deliveries
          SET status = 'pending',
              attempts = CASE WHEN status = 'pending' THEN attempts ELSE 0 END,
              next_attempt_at = CASE WHEN status = 'pending' THEN next_attempt_at ELSE now() END,
              updated_at = CASE WHEN status = 'pending' THEN updated_at ELSE clock_timestamp() END
        WHERE site_id = $1 AND endpoint_id = $2 AND id = $3
        RETURNING ${DELIVERY_COLUMNS}`,
      [siteId, endpointId, deliveryId],
    );
    return rows[0] ?? null;
  }

  /** The delivery log is for debugging, not an archive: rows older than `cutoff` go. */
  async deleteDeliveriesBefore(cutoff: Date): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM webhook_deliveries WHERE created_at < $1`,
      [cutoff],
    );
    return affected;
  }
}
