import type { ApiKeyScope, Role, WidgetSettings } from '@cloop/contracts';

/** What a route requires of its caller. Every route declares exactly one (deny by default). */
export type AccessPolicy =
  | { kind: 'public' }
  | { kind: 'user'; apiKey?: ApiKeyScope }
  | { kind: 'organization'; minRole: Role; apiKey?: ApiKeyScope }
  | { kind: 'site'; minRole: Role; apiKey?: ApiKeyScope }
  /** The widget, before anyone is identified: `X-Cloop-Site-Key` and an allowed `Origin`. */
  | { kind: 'siteKey' }
  /** A widget visitor: the site key, an allowed `Origin` and the `X-Cloop-Visitor` uuid. */
  | { kind: 'visitor' };

export const ACCESS_POLICY = 'cloop:access-policy';

/**
 * The caller of a console route, set by the access guard: a signed-in person, or an organization
 * API key acting for the person who created it (with that person's current role, within its scopes).
 */
export interface Principal {
  userId: string;
  /** The refresh-token family this access token was issued for (people only). */
  sessionId?: string;
  /** Present when the caller is an API key. */
  apiKey?: ApiKeyCaller;
}

export interface ApiKeyCaller {
  id: string;
  name: string;
  organizationId: string;
  scopes: ApiKeyScope[];
}

export interface OrganizationScope {
  organizationId: string;
  role: Role;
}

export interface SiteScope extends OrganizationScope {
  siteId: string;
}

/** The site a widget request is for, with what the widget may know of it. */
export interface WidgetSiteScope {
  siteId: string;
  /** The key the request came with (from the in-process cache: hot paths re-check it in their SQL). */
  publicKey: string;
  widget: WidgetSettings;
  leadCapture: boolean;
}

export interface VisitorScope extends WidgetSiteScope {
  /** The browser's secret visitor id: never log it. */
  visitorUuid: string;
}

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    organizationScope?: OrganizationScope;
    siteScope?: SiteScope;
    widgetSite?: WidgetSiteScope;
    visitor?: VisitorScope;
  }
}
