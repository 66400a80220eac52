import type { PageQuery } from './pagination';

export const WIDGET_POSITIONS = ['bottom-right', 'bottom-left'] as const;
export type WidgetPosition = (typeof WIDGET_POSITIONS)[number];

/** `auto` follows the visitor's browser language among the supported ones. */
export const WIDGET_LOCALES = ['auto', 'en', 'fi'] as const;
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];

/** Languages the widget speaks; each may have its own greeting and header. */
export const WIDGET_LANGUAGES = ['en', 'fi'] as const;
export type WidgetLanguage = (typeof WIDGET_LANGUAGES)[number];

/** One language's texts; an empty or missing field falls back to the site's default. */
export interface WidgetLanguageTexts {
  greeting?: string;
  assistantName?: string;
}

export const SITE_NAME_MAX_LENGTH = 100;
export const MAX_ALLOWED_ORIGINS = 50;
export const GREETING_MAX_LENGTH = 500;
export const ASSISTANT_NAME_MAX_LENGTH = 60;
export const RETENTION_DAYS_MIN = 1;
export const RETENTION_DAYS_MAX = 3650;
export const DEFAULT_RETENTION_DAYS = 180;

export interface WidgetSettings {
  /** `#rrggbb` */
  color: string;
  position: WidgetPosition;
  greeting: string;
  assistantName: string;
  locale: WidgetLocale;
  /** The site's privacy notice, linked from the widget. */
  privacyUrl: string | null;
  /** Greeting and header (assistant name) per language; the widget picks by its language. */
  languages: Partial<Record<WidgetLanguage, WidgetLanguageTexts>>;
  /** A short chime when a reply arrives while the panel is closed. Off unless the site turns it on. */
  sound: boolean;
}

export interface Site {
  id: string;
  organizationId: string;
  name: string;
  /** Goes into the embed snippet; public by design. */
  publicKey: string;
  /** `scheme://host[:port]` values where the widget may run. */
  allowedOrigins: string[];
  widget: WidgetSettings;
  leadCapture: boolean;
  retentionDays: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreateSiteRequest {
  organizationId: string;
  name: string;
  allowedOrigins?: string[];
  widget?: Partial<WidgetSettings>;
  leadCapture?: boolean;
  retentionDays?: number;
}

/** Query of `GET /sites`: every site the caller can see, optionally of one organization. */
export interface ListSitesQuery extends PageQuery {
  organizationId?: string;
}

export type UpdateSiteRequest = Partial<Omit<CreateSiteRequest, 'organizationId'>>;
