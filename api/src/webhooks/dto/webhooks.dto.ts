import {
  type CreateWebhookRequest,
  type Page,
  type UpdateWebhookRequest,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT,
  WEBHOOK_URL_MAX_LENGTH,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
  type WebhookTestResponse,
} from '@cloop/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';

import { IsOptionalNotNull } from '../../common/validation';
import { EXAMPLE } from '../../openapi/example-values';

const URL_EXAMPLE = 'https://crm.example.com/hooks/cloop';
const EVENTS_EXAMPLE: WebhookEventType[] = ['lead.captured', 'privacy.erased'];

/** http(s), at most 2048 characters; the service refuses credentials and private addresses. */
const IsWebhookUrl = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    MaxLength(WEBHOOK_URL_MAX_LENGTH),
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
      { message: 'url must be an http or https URL' },
    ),
  );

/** A non-empty list of known event types. */
const AreWebhookEvents = (): PropertyDecorator =>
  applyDecorators(
    IsArray(),
    ArrayMinSize(1, { message: 'events must name at least one event type' }),
    ArrayMaxSize(WEBHOOK_EVENT_TYPES.length * 2),
    IsIn(WEBHOOK_EVENT_TYPES, {
      each: true,
      message: `events must be among ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    }),
  );

export class CreateWebhookDto implements CreateWebhookRequest {
  @ApiProperty({
    example: URL_EXAMPLE,
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    description: 'http(s), no credentials; not a loopback or private-network address',
  })
  @IsWebhookUrl()
  url: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: EVENTS_EXAMPLE,
    description: 'At least one',
  })
  @AreWebhookEvents()
  events: WebhookEventType[];

  @ApiPropertyOptional({
    default: true,
    example: true,
    description: 'Disabled endpoints get no new events; queued ones wait',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

/** Only the fields sent change. */
export class UpdateWebhookDto implements UpdateWebhookRequest {
  @ApiPropertyOptional({ example: URL_EXAMPLE, maxLength: WEBHOOK_URL_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsWebhookUrl()
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: EVENTS_EXAMPLE })
  @IsOptionalNotNull()
  @AreWebhookEvents()
  events?: WebhookEventType[];

  @ApiPropertyOptional({
    example: false,
    description: 'Disabled endpoints get no new events; queued ones wait',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookDto implements WebhookEndpoint {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.webhookId })
  id: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE.siteId })
  siteId: string;

  @ApiProperty({ example: URL_EXAMPLE })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['lead.captured', 'privacy.erased'] })
  events: WebhookEventType[];

  @ApiProperty({ example: true })
  enabled: boolean;

  @ApiProperty({ format: 'date-time', example: EXAMPLE.createdAt })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: EXAMPLE.updatedAt })
  updatedAt: string;

  @ApiProperty({
    format: 'date-time',
    example: EXAMPLE.createdAt,
    description: 'When the current signing secret was issued',
  })
  secretCreatedAt: string;
}

export class WebhookWithSecretDto implements WebhookEndpointWithSecret {
  @ApiProperty({ type: WebhookDto })
  webhook: WebhookDto;

  @ApiProperty({
    example: 'whsec_Jq3vY0l8oYw2Qm1dS0Zb3HnKp6c9TgR4eWx7uA5fLkE',
    description: 'The signing secret: shown only in this response; store it in the receiver',
  })
  secret: string;
}

export class WebhookPageDto implements Page<WebhookEndpoint> {
  @ApiProperty({ type: [WebhookDto] })
  items: WebhookDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor: string | null;
}

class WebhookAttemptDto implements WebhookAttempt {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.at })
  at: string;

  @ApiProperty({ type: Number, nullable: true, example: 500 })
  statusCode: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error: string | null;

  @ApiProperty({ example: 84 })
  durationMs: number;
}

export class WebhookDeliveryDto implements WebhookDelivery {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.deliveryId })
  id: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE.webhookId })
  webhookId: string;

  @ApiProperty({
    format: 'uuid',
    example: EXAMPLE.eventId,
    description: 'The `Cloop-Event-Id` header and the body’s `id`',
  })
  eventId: string;

  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT], example: 'lead.captured' })
  eventType: WebhookDelivery['eventType'];

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES, example: 'pending' })
  status: WebhookDeliveryStatus;

  @ApiProperty({ example: 2 })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE.at })
  nextAttemptAt: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 500 })
  lastStatusCode: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  lastError: string | null;

  @ApiProperty({ type: [WebhookAttemptDto] })
  attemptLog: WebhookAttemptDto[];

  @ApiProperty({ format: 'date-time', example: EXAMPLE.createdAt })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: EXAMPLE.updatedAt })
  updatedAt: string;
}

export class WebhookDeliveryPageDto implements Page<WebhookDelivery> {
  @ApiProperty({ type: [WebhookDeliveryDto] })
  items: WebhookDeliveryDto[];

  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.cursor })
  nextCursor: string | null;
}

export class WebhookTestResponseDto implements WebhookTestResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.eventId })
  eventId: string;
}
