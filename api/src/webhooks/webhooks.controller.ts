import { API_PREFIX, type Page, type WebhookDelivery, type WebhookEndpoint } from '@cloop/contracts';
import type { WebhookEndpointWithSecret, WebhookTestResponse } from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
import { PageQueryDto } from '../common/pagination';
import { uuidParam } from '../common/uuid-param.pipe';
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

const invalid = ApiBadRequestResponse({
  description: 'VALIDATION_FAILED: a bad URL (scheme, length, credentials, private address) or event list',
  type: ErrorResponseDto,
});
const webhookParam = ApiParam({ name: 'webhookId', format: 'uuid' });
const webhookNotFound = ApiNotFoundResponse({
  description: 'SITE_NOT_FOUND, or WEBHOOK_NOT_FOUND: no such endpoint on this site',
  type: ErrorResponseDto,
});

/** Webhook endpoints of a site; admins and owners only, since they hold signing secrets. */
@ApiTags('webhooks')
@Controller(`${API_PREFIX}/sites/:siteId/webhooks`)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @SiteAccess('admin')
  @ApiOperation({ summary: 'The site’s endpoints, oldest first (never their secrets)' })
  @ApiOkResponse({ type: WebhookPageDto })
  @ApiBadRequestResponse({ description: 'Invalid query', type: ErrorResponseDto })
  list(@CurrentSite() scope: SiteScope, @Query() query: PageQueryDto): Promise<Page<WebhookEndpoint>> {
    return this.webhooks.list(scope, query);
  }

  @Post()
  @SiteAccess('admin')
  @ApiOperation({ summary: 'Subscribe a URL to events; the answer holds the signing secret, shown only now' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  @ApiConflictResponse({
    description: 'WEBHOOK_LIMIT_REACHED: 10 endpoints per site',
    type: ErrorResponseDto,
  })
  @invalid
  create(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Body() body: CreateWebhookDto,
  ): Promise<WebhookEndpointWithSecret> {
    return this.webhooks.create(scope, actor, body);
  }

  @Get(':webhookId')
  @SiteAccess('admin')
  @webhookParam
  @ApiOperation({ summary: 'One endpoint (never its secret)' })
  @ApiOkResponse({ type: WebhookDto })
  @webhookNotFound
  get(
    @CurrentSite() scope: SiteScope,
    @Param('webhookId', uuidParam) webhookId: string,
  ): Promise<WebhookEndpoint> {
    return this.webhooks.get(scope, webhookId);
  }

  @Patch(':webhookId')
  @SiteAccess('admin')
  @webhookParam
  @ApiOperation({
    summary: 'Change the URL, the events or whether it is enabled; only the fields sent change',
  })
  @ApiOkResponse({ type: WebhookDto })
  @webhookNotFound
  @invalid
  update(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Param('webhookId', uuidParam) webhookId: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookEndpoint> {
    return this.webhooks.update(scope, actor, webhookId, body);
  }

  @Delete(':webhookId')
  @SiteAccess('admin')
  @webhookParam
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the endpoint with its delivery log; queued deliveries are dropped' })
  @ApiNoContentResponse()
  @webhookNotFound
  async delete(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Param('webhookId', uuidParam) webhookId: string,
  ): Promise<void> {
    await this.webhooks.delete(scope, actor, webhookId);
  }

  @Post(':webhookId/rotate-secret')
  @SiteAccess('admin')
  @webhookParam
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the signing secret; the old one stops at once. The new one is shown only now',
  })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  @webhookNotFound
  rotateSecret(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Param('webhookId', uuidParam) webhookId: string,
  ): Promise<WebhookEndpointWithSecret> {
    return this.webhooks.rotateSecret(scope, actor, webhookId);
  }

  @Get(':webhookId/deliveries')
  @SiteAccess('admin')
  @webhookParam
  @ApiOperation({ summary: 'The delivery log, newest first: status, attempts, response codes, next retry' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @webhookNotFound
  @ApiBadRequestResponse({ description: 'Invalid query', type: ErrorResponseDto })
  deliveries(
    @CurrentSite() scope: SiteScope,
    @Param('webhookId', uuidParam) webhookId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<WebhookDelivery>> {
    return this.webhooks.deliveries(scope, webhookId, query);
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @SiteAccess('admin')
  @webhookParam
  @ApiParam({ name: 'deliveryId', format: 'uuid' })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again with a fresh retry schedule (one still pending stays as it is)',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiConflictResponse({ description: 'WEBHOOK_DISABLED: enable the endpoint first', type: ErrorResponseDto })
  @ApiNotFoundResponse({
    description: 'SITE_NOT_FOUND, WEBHOOK_NOT_FOUND or WEBHOOK_DELIVERY_NOT_FOUND',
    type: ErrorResponseDto,
  })
  redeliver(
    @CurrentSite() scope: SiteScope,
    @Param('webhookId', uuidParam) webhookId: string,
    @Param('deliveryId', uuidParam) deliveryId: string,
  ): Promise<WebhookDelivery> {
    return this.webhooks.redeliver(scope, webhookId, deliveryId);
  }

  @Post(':webhookId/test')
  @SiteAccess('admin')
  @webhookParam
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a `webhook.test` event for this endpoint' })
  @ApiAcceptedResponse({ type: WebhookTestResponseDto })
  @ApiConflictResponse({ description: 'WEBHOOK_DISABLED: enable the endpoint first', type: ErrorResponseDto })
  @webhookNotFound
  test(
    @CurrentSite() scope: SiteScope,
    @Param('webhookId', uuidParam) webhookId: string,
  ): Promise<WebhookTestResponse> {
    return this.webhooks.test(scope, webhookId);
  }
}
