import { API_PREFIX, type Page, type WebhookDelivery, type WebhookEndpoint } from '@cloop/contracts';
import type { WebhookEndpointWithSecret, WebhookTestResponse } from '@cloop/contracts';
import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { PageQueryDto } from '../common/pagination';
import type { RouteErrors } from '../openapi/api-errors';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookDto,
  WebhookPageDto,
  WebhookTestResponseDto,
  WebhookWithSecretDto,
} from './dto/webhooks.dto';
import { WebhooksService } from './webhooks.service';

const invalid =
  'A bad URL (scheme, length, credentials, private address), event list, query or path parameter';
const invalidQuery = 'The query or a path parameter is not valid';
const webhookNotFound: RouteErrors = { WEBHOOK_NOT_FOUND: 'No such endpoint on this site' };
const disabled: RouteErrors = { WEBHOOK_DISABLED: 'The endpoint is disabled: enable it first' };

/** Webhook endpoints of a site; admins and owners only, since they hold signing secrets. */
@ApiTags('webhooks')
@Controller(`${API_PREFIX}/sites/:siteId/webhooks`)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @SiteAccess('admin', 'webhooks:read')
  @Endpoint({
    summary: 'The site’s endpoints, oldest first (never their secrets)',
    description:
      'Keyset-paginated: pass `nextCursor` back as `cursor`. Secrets are shown only on create and rotate.',
    ok: { type: WebhookPageDto, description: 'A page of endpoints' },
    invalid: invalidQuery,
  })
  list(@CurrentSite() scope: SiteScope, @Query() query: PageQueryDto): Promise<Page<WebhookEndpoint>> {
    return this.webhooks.list(scope, query);
  }

  @Post()
  @SiteAccess('admin', 'webhooks:write')
  @Endpoint({
    summary: 'Subscribe a URL to events; the answer holds the signing secret, shown only now',
    description:
      'Each event is POSTed as JSON with `Cloop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`; ' +
      'see docs/webhooks.md for verification, the 5-minute replay window and the retry schedule.',
    created: { type: WebhookWithSecretDto, description: 'The endpoint and its secret' },
    errors: { WEBHOOK_LIMIT_REACHED: 'The site already has 10 endpoints' },
    invalid,
  })
  create(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Body() body: CreateWebhookDto,
  ): Promise<WebhookEndpointWithSecret> {
    return this.webhooks.create(scope, actor, body);
  }

  @Get(':webhookId')
  @SiteAccess('admin', 'webhooks:read')
  @Endpoint({
    summary: 'One endpoint (never its secret)',
    description: 'URL, events and whether it is enabled.',
    ok: { type: WebhookDto, description: 'The endpoint' },
    errors: webhookNotFound,
    invalid: invalidQuery,
  })
  get(@CurrentSite() scope: SiteScope, @UuidParam('webhookId') webhookId: string): Promise<WebhookEndpoint> {
    return this.webhooks.get(scope, webhookId);
  }

  @Patch(':webhookId')
  @SiteAccess('admin', 'webhooks:write')
  @Endpoint({
    summary: 'Change the URL, the events or whether it is enabled; only the fields sent change',
    description:
      'A disabled endpoint gets no new events; deliveries already queued wait until it is enabled.',
    ok: { type: WebhookDto, description: 'The endpoint as it is now' },
    errors: webhookNotFound,
    invalid,
  })
  update(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @UuidParam('webhookId') webhookId: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookEndpoint> {
    return this.webhooks.update(scope, actor, webhookId, body);
  }

  @Delete(':webhookId')
  @SiteAccess('admin', 'webhooks:write')
  @Endpoint({
    summary: 'Delete the endpoint with its delivery log; queued deliveries are dropped',
    description: 'Recorded in the audit trail.',
    noContent: 'Deleted',
    errors: webhookNotFound,
    invalid: invalidQuery,
  })
  async delete(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @UuidParam('webhookId') webhookId: string,
  ): Promise<void> {
    await this.webhooks.delete(scope, actor, webhookId);
  }

  @Post(':webhookId/rotate-secret')
  @SiteAccess('admin', 'webhooks:write')
  @Endpoint({
    summary: 'Replace the signing secret; the old one stops at once. The new one is shown only now',
    description: 'Deliveries that fail meanwhile are retried, and are signed with the new secret.',
    ok: { type: WebhookWithSecretDto, description: 'The endpoint and its new secret' },
    errors: webhookNotFound,
    invalid: invalidQuery,
  })
  rotateSecret(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @UuidParam('webhookId') webhookId: string,
  ): Promise<WebhookEndpointWithSecret> {
    return this.webhooks.rotateSecret(scope, actor, webhookId);
  }

  @Get(':webhookId/deliveries')
  @SiteAccess('admin', 'webhooks:read')
  @Endpoint({
    summary: 'The delivery log, newest first: status, attempts, response codes, next retry',
    description:
      'Kept for 30 days. Keyset-paginated: pass `nextCursor` back as `cursor`. Response bodies are never stored.',
    ok: { type: WebhookDeliveryPageDto, description: 'A page of deliveries' },
    errors: webhookNotFound,
    invalid: invalidQuery,
  })
  deliveries(
    @CurrentSite() scope: SiteScope,
    @UuidParam('webhookId') webhookId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<WebhookDelivery>> {
    return this.webhooks.deliveries(scope, webhookId, query);
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @SiteAccess('admin', 'webhooks:write')
  @Endpoint({
    summary: 'Send a delivery again with a fresh retry schedule (one still pending stays as it is)',
    description: 'The same event id and payload: receivers that deduplicate by `Cloop-Event-Id` see it once.',
    accepted: { type: WebhookDeliveryDto, description: 'The delivery, queued again' },
    errors: {
      WEBHOOK_DELIVERY_NOT_FOUND: 'No such delivery of this endpoint',
      ...webhookNotFound,
      ...disabled,
    },
    invalid: invalidQuery,
  })
  redeliver(
    @CurrentSite() scope: SiteScope,
    @UuidParam('webhookId') webhookId: string,
    @UuidParam('deliveryId') deliveryId: string,
  ): Promise<WebhookDelivery> {
    return this.webhooks.redeliver(scope, webhookId, deliveryId);
  }

  @Post(':webhookId/test')
  @SiteAccess('admin', 'webhooks:write')
  @Endpoint({
    summary: 'Queue a `webhook.test` event for this endpoint',
    description: 'Signed and retried like every event; watch it arrive in the delivery log.',
    accepted: { type: WebhookTestResponseDto, description: 'The test event’s id' },
    errors: { ...webhookNotFound, ...disabled },
    invalid: invalidQuery,
  })
  test(
    @CurrentSite() scope: SiteScope,
    @UuidParam('webhookId') webhookId: string,
  ): Promise<WebhookTestResponse> {
    return this.webhooks.test(scope, webhookId);
  }
}
