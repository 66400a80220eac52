import {
  ASSISTANT_NAME_MAX_LENGTH,
  type CreateSiteRequest,
  type ListSitesQuery,
  GREETING_MAX_LENGTH,
  MAX_ALLOWED_ORIGINS,
  type Page,
  RETENTION_DAYS_MAX,
  RETENTION_DAYS_MIN,
  SITE_NAME_MAX_LENGTH,
  type Site,
  type UpdateSiteRequest,
  WIDGET_LANGUAGES,
  WIDGET_LOCALES,
  WIDGET_POSITIONS,
  type WidgetLanguage,
  type WidgetLanguageTexts,
  type WidgetLocale,
  type WidgetPosition,
  type WidgetSettings,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { PageQueryDto } from '../../common/pagination';
import { IsOptionalNotNull } from '../../common/validation';
import { IsAllowedOrigin } from '../allowed-origin';
import { EXAMPLE } from '../../openapi/example-values';

/** One language's greeting and header; empty or missing falls back to the site's default. */
export class WidgetLanguageTextsDto implements WidgetLanguageTexts {
  @ApiPropertyOptional({ example: 'Hei! Miten voin auttaa?', maxLength: GREETING_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(GREETING_MAX_LENGTH)
  greeting?: string;

  @ApiPropertyOptional({ example: 'Avustaja', maxLength: ASSISTANT_NAME_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(ASSISTANT_NAME_MAX_LENGTH)
  assistantName?: string;
}

/** A key per language the widget speaks; any other key is refused (`forbidNonWhitelisted`). */
export class WidgetLanguagesDto implements Partial<Record<WidgetLanguage, WidgetLanguageTexts>> {
  @ApiPropertyOptional({ type: WidgetLanguageTextsDto })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => WidgetLanguageTextsDto)
  en?: WidgetLanguageTextsDto;

  @ApiPropertyOptional({ type: WidgetLanguageTextsDto })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => WidgetLanguageTextsDto)
  fi?: WidgetLanguageTextsDto;
}

export class WidgetSettingsDto implements WidgetSettings {
  @ApiProperty({ example: '#2563eb' })
  color: string;

  @ApiProperty({ example: 'bottom-right', enum: WIDGET_POSITIONS })
  position: WidgetPosition;

  @ApiProperty({ example: 'Hi! How can I help you today?', maxLength: GREETING_MAX_LENGTH })
  greeting: string;

  @ApiProperty({ example: 'Assistant', maxLength: ASSISTANT_NAME_MAX_LENGTH })
  assistantName: string;

  @ApiProperty({ example: 'auto', enum: WIDGET_LOCALES, description: '`auto` follows the visitor’s browser' })
  locale: WidgetLocale;

  @ApiProperty({ type: String, nullable: true, example: 'https://example.com/privacy' })
  privacyUrl: string | null;

  @ApiProperty({
    type: WidgetLanguagesDto,
    example: { fi: { greeting: 'Hei! Miten voin auttaa?', assistantName: 'Avustaja' } },
    description: `Greeting and header per language (${WIDGET_LANGUAGES.join(', ')}); the widget picks by its language`,
  })
  languages: WidgetLanguagesDto;

  @ApiProperty({
    example: false,
    description: 'A short chime when a reply arrives while the panel is closed',
  })
  sound: boolean;
}

/** Every field optional: a create or update changes only what it names. */
export class WidgetSettingsInputDto implements Partial<WidgetSettings> {
  @ApiPropertyOptional({ example: '#2563eb', description: '`#rrggbb`' })
  @IsOptionalNotNull()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'widget.color must be a colour of the form #rrggbb' })
  color?: string;

  @ApiPropertyOptional({ example: 'bottom-right', enum: WIDGET_POSITIONS })
  @IsOptionalNotNull()
  @IsIn(WIDGET_POSITIONS)
  position?: WidgetPosition;

  @ApiPropertyOptional({ example: 'Hi! How can I help you today?', maxLength: GREETING_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(GREETING_MAX_LENGTH)
  greeting?: string;

  @ApiPropertyOptional({ example: 'Assistant', maxLength: ASSISTANT_NAME_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/\S/, { message: 'widget.assistantName must not be blank' })
  @MaxLength(ASSISTANT_NAME_MAX_LENGTH)
  assistantName?: string;

  @ApiPropertyOptional({ example: 'auto', enum: WIDGET_LOCALES })
  @IsOptionalNotNull()
  @IsIn(WIDGET_LOCALES)
  locale?: WidgetLocale;

  @ApiPropertyOptional({
    example: 'https://www.example.com/privacy',
    type: String,
    nullable: true,
    description: 'http(s) URL; `null` removes the link',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  privacyUrl?: string | null;

  @ApiPropertyOptional({
    type: WidgetLanguagesDto,
    description: 'Replaces the per-language texts as a whole; `{}` removes them all',
  })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => WidgetLanguagesDto)
  languages?: WidgetLanguagesDto;

  @ApiPropertyOptional({ example: false })
  @IsOptionalNotNull()
  @IsBoolean()
  sound?: boolean;
}

class SiteFieldsDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['https://www.example.com'],
    maxItems: MAX_ALLOWED_ORIGINS,
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsAllowedOrigin({ each: true })
  allowedOrigins?: string[];

  @ApiPropertyOptional({ type: WidgetSettingsInputDto })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => WidgetSettingsInputDto)
  widget?: WidgetSettingsInputDto;

  @ApiPropertyOptional({ example: true, description: 'Show an optional email field in the widget' })
  @IsOptionalNotNull()
  @IsBoolean()
  leadCapture?: boolean;

  @ApiPropertyOptional({ example: 90, minimum: RETENTION_DAYS_MIN, maximum: RETENTION_DAYS_MAX })
  @IsOptionalNotNull()
  @IsInt()
  @Min(RETENTION_DAYS_MIN)
  @Max(RETENTION_DAYS_MAX)
  retentionDays?: number;
}

export class CreateSiteDto extends SiteFieldsDto implements CreateSiteRequest {
  @ApiProperty({
    example: EXAMPLE.organizationId,
    format: 'uuid',
    description: 'The organization that will own the site (admin or owner role)',
  })
  @IsUUID()
  organizationId: string;

  @ApiProperty({ example: 'Example shop', maxLength: SITE_NAME_MAX_LENGTH })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(SITE_NAME_MAX_LENGTH)
  name: string;
}

export class UpdateSiteDto extends SiteFieldsDto implements UpdateSiteRequest {
  @ApiPropertyOptional({ example: 'Example shop', maxLength: SITE_NAME_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(SITE_NAME_MAX_LENGTH)
  name?: string;
}

export class ListSitesQueryDto extends PageQueryDto implements ListSitesQuery {
  @ApiPropertyOptional({
    example: EXAMPLE.organizationId,
    format: 'uuid',
    description: 'Only sites of this organization',
  })
  @IsOptionalNotNull()
  @IsUUID()
  organizationId?: string;
}

export class SiteDto implements Site {
  @ApiProperty({ example: EXAMPLE.siteId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: EXAMPLE.organizationId, format: 'uuid' })
  organizationId: string;

  @ApiProperty({ example: 'Example shop' })
  name: string;

  @ApiProperty({ example: 'pk_3q2-7wEvDfyl1l0k8-L9a5Hd', description: 'Public: goes into the embed snippet' })
  publicKey: string;

  @ApiProperty({ type: [String], example: ['https://www.example.com'] })
  allowedOrigins: string[];

  @ApiProperty({ type: WidgetSettingsDto })
  widget: WidgetSettingsDto;

  @ApiProperty({ example: true })
  leadCapture: boolean;

  @ApiProperty({ example: 180 })
  retentionDays: number;

  @ApiProperty({ example: EXAMPLE.createdAt, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ example: EXAMPLE.updatedAt, format: 'date-time' })
  updatedAt: string;
}

export class SitePageDto implements Page<Site> {
  @ApiProperty({ type: [SiteDto] })
  items: SiteDto[];

  @ApiProperty({ example: EXAMPLE.cursor, type: String, nullable: true })
  nextCursor: string | null;
}
