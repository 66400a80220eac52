import type { Role } from '@cloop/contracts';

/** What a route requires of its caller. Every route declares exactly one (deny by default). */
export type AccessPolicy =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'organization'; minRole: Role }
  | { kind: 'site'; minRole: Role };

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

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    organizationScope?: OrganizationScope;
    siteScope?: SiteScope;
  }
}
