import type { Role, WidgetSettings } from '@cloop/contracts';

/** What a route requires of its caller. Every route declares exactly one (deny by default). */
export type AccessPolicy =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'organization'; minRole: Role }
  | { kind: 'site'; minRole: Role }
  /** The widget, before anyone is identified: `X-Cloop-Site-Key` and an allowed `Origin`. */
  | { kind: 'siteKey' }
  /** A widget visitor: the site key, an allowed `Origin` and the `X-Cloop-Visitor` uuid. */
  | { kind: 'visitor' };

export const ACCESS_POLICY = 'cloop:access-policy';

/** The signed-in console user, set by the access guard. */
export interface Principal {
  userId: string;
  /** The refresh-token family this access token was issued for. */
  sessionId: string;
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
