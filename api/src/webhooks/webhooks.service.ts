import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';

import {
  type CreateWebhookRequest,
  MAX_WEBHOOKS_PER_SITE,
  type Page,
  type PageQuery,
  type UpdateWebhookRequest,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
  type WebhookTestResponse,
} from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import type { Principal, SiteScope } from '../access/access-policy';
import { actorOf, AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import { isPrivateAddress } from '../common/private-address';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { TransactionRunner, type Tx } from '../database/transactions';
import { mapDelivery, mapEndpoint } from './webhook.mapper';
import { WebhookOutbox } from './webhook-outbox';
import { newWebhookSecret, WebhookSecrets } from './webhook-secrets';
import { type EndpointRow, WebhooksRepository } from './webhooks.repository';

/** The site team's webhook endpoints (admins and owners: they hold signing secrets). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
    private readonly outbox: WebhookOutbox,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async list(scope: SiteScope, query: PageQuery): Promise<Page<WebhookEndpoint>> {
    const limit = pageLimit(query);
    const rows = await this.webhooks.listEndpoints(scope.siteId, decodeCursor(query.cursor), limit);
    return toPage(rows, limit, mapEndpoint, (row) => ({ createdAt: row.created_at, id: row.id }));
  }

  async get(scope: SiteScope, webhookId: string): Promise<WebhookEndpoint> {
    return mapEndpoint(await this.require(scope.siteId, webhookId));
  }

  async create(
    scope: SiteScope,
    actor: Principal,
    request: CreateWebhookRequest,
  ): Promise<WebhookEndpointWithSecret> {
    const url = this.checkUrl(request.url);
    const events = canonicalEvents(request.events);
    const secret = newWebhookSecret();
    const id = randomUUID();
    const row = await this.transactions.run(async (tx) => {
      if ((await this.webhooks.countEndpointsLocked(tx, scope.siteId)) >= MAX_WEBHOOKS_PER_SITE) {
        throw new DomainError(
          'WEBHOOK_LIMIT_REACHED',
          `A site can have at most ${MAX_WEBHOOKS_PER_SITE} webhook endpoints`,
        );
      }
      const inserted = await this.webhooks.insertEndpoint(tx, {
        id,
        siteId: scope.siteId,
        url,
        events,
        enabled: request.enabled ?? true,
        secret: this.secrets.encrypt(id, secret),
      });
      await this.record(tx, scope, actor, 'webhook.created', id, { events });
      return inserted;
    });
    return { webhook: mapEndpoint(row), secret };
  }

  async update(
    scope: SiteScope,
    actor: Principal,
    webhookId: string,
    request: UpdateWebhookRequest,
  ): Promise<WebhookEndpoint> {
    const changes = {
      url: request.url === undefined ? undefined : this.checkUrl(request.url),
      events: request.events === undefined ? undefined : canonicalEvents(request.events),
      enabled: request.enabled,
    };
    const row = await this.transactions.run(async (tx) => {
      const updated = await this.webhooks.updateEndpoint(tx, scope.siteId, webhookId, changes);
      if (!updated) throw notFound();
      const fields = Object.keys(request).sort();
      await this.record(tx, scope, actor, 'webhook.updated', webhookId, { fields });
      return updated;
    });
    return mapEndpoint(row);
  }

  /** The old secret stops working at once: deliveries signed from now on use the new one. */
  async rotateSecret(
    scope: SiteScope,
    actor: Principal,
    webhookId: string,
  ): Promise<WebhookEndpointWithSecret> {
    const secret = newWebhookSecret();
    const row = await this.transactions.run(async (tx) => {
      const updated = await this.webhooks.replaceSecret(
        tx,
        scope.siteId,
        webhookId,
        this.secrets.encrypt(webhookId, secret),
      );
      if (!updated) throw notFound();
      await this.record(tx, scope, actor, 'webhook.secret_rotated', webhookId);
      return updated;
    });
    return { webhook: mapEndpoint(row), secret };
  }

  async delete(scope: SiteScope, actor: Principal, webhookId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      if (!(await this.webhooks.deleteEndpoint(tx, scope.siteId, webhookId))) throw notFound();
      await this.record(tx, scope, actor, 'webhook.deleted', webhookId);
    });
  }

  async deliveries(scope: SiteScope, webhookId: string, query: PageQuery): Promise<Page<WebhookDelivery>> {
    await this.require(scope.siteId, webhookId);
    const limit = pageLimit(query);
    const rows = await this.webhooks.listDeliveries(
      scope.siteId,
      webhookId,
      decodeCursor(query.cursor),
      limit,
    );
    return toPage(rows, limit, mapDelivery, (row) => ({ createdAt: row.created_at, id: row.id }));
  }

  /** Queues a `webhook.test` event for this endpoint; it shows in the delivery log like any other. */
  async test(scope: SiteScope, webhookId: string): Promise<WebhookTestResponse> {
    return this.transactions.run(async (tx) => {
      const endpoint = await this.require(scope.siteId, webhookId, tx);
      if (!endpoint.enabled) {
        throw new DomainError('WEBHOOK_DISABLED', 'The endpoint is disabled; enable it to send a test');
      }
      return { eventId: await this.outbox.test(tx, scope.siteId, webhookId) };
    });
  }

  /** Sends a delivery again (after a fix on the receiver's side), with a fresh retry schedule. */
  async redeliver(scope: SiteScope, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.require(scope.siteId, webhookId);
    if (!endpoint.enabled) {
      throw new DomainError('WEBHOOK_DISABLED', 'The endpoint is disabled; enable it to redeliver');
    }
    const row = await this.webhooks.redeliver(scope.siteId, webhookId, deliveryId);
    if (!row) throw new DomainError('WEBHOOK_DELIVERY_NOT_FOUND', 'No such delivery of this endpoint');
    return mapDelivery(row);
  }

  private async require(siteId: string, webhookId: string, tx?: Tx): Promise<EndpointRow> {
    const row = await this.webhooks.findEndpoint(siteId, webhookId, tx);
    if (!row) throw notFound();
    return row;
  }

  /**
   * The DTO has checked the form (http or https, length); here: no credentials in the URL (it is
   * shown in the console; receivers authenticate deliveries by their signature), and no address
   * of the server's own networks unless `CRAWL_ALLOW_PRIVATE_NETWORKS` allows them. Names that
   * resolve to such addresses are refused when a delivery connects.
   */
  private checkUrl(raw: string): string {
    const url = new URL(raw);
    if (url.username || url.password) {
      throw new DomainError('VALIDATION_FAILED', 'url must not contain a user name or password');
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const local = host === 'localhost' || host.endsWith('.localhost');
    if (!this.config.crawlPrivateNetworks && (local || (isIP(host) !== 0 && isPrivateAddress(host)))) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'url must not point at a loopback or private-network address (CRAWL_ALLOW_PRIVATE_NETWORKS allows it)',
      );
    }
    url.hash = '';
    return url.toString();
  }

  private record(
    tx: Tx,
    scope: SiteScope,
    actor: Principal,
    action: 'webhook.created' | 'webhook.updated' | 'webhook.secret_rotated' | 'webhook.deleted',
    webhookId: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record(tx, {
      organizationId: scope.organizationId,
      actor: actorOf(actor),
      action,
      target: { type: 'webhook', id: webhookId },
      details: { siteId: scope.siteId, ...details },
    });
  }
}

function notFound(): DomainError {
  return new DomainError('WEBHOOK_NOT_FOUND', 'Webhook endpoint not found');
}

/** Deduplicated, in the documented order. */
function canonicalEvents(events: WebhookEventType[]): WebhookEventType[] {
  return WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
}
