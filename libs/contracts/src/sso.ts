import type { Role } from './organizations';

/** Roles a person created by single sign-on may get: ownership is always given by a person. */
export const SSO_NEW_USER_ROLES = ['member', 'admin'] as const satisfies readonly Role[];
export type SsoNewUserRole = (typeof SSO_NEW_USER_ROLES)[number];

export const SSO_MAX_DOMAINS = 20;

/** An organization's OpenID Connect settings as owners see them: never the client secret. */
export interface SsoSettings {
  organizationId: string;
  enabled: boolean;
  /** The provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  issuer: string | null;
  clientId: string | null;
  /** Whether a client secret is stored; the secret itself is never returned. */
  clientSecretSet: boolean;
  /** Lower-case e-mail domains whose addresses may sign in here, and by which sign-in finds this organization. */
  allowedDomains: string[];
  /** The role of a person who joins through the provider. */
  newUserRole: SsoNewUserRole;
  /** Members sign in through the provider only; owners keep password sign-in (audited). */
  ssoOnly: boolean;
  /** The redirect URI to register at the provider: the console's `sso-callback` page. */
  redirectUri: string;
  updatedAt: string | null;
}

export interface UpdateSsoSettingsRequest {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** Omitted: keep the stored one. */
  clientSecret?: string;
  allowedDomains: string[];
  newUserRole: SsoNewUserRole;
  ssoOnly: boolean;
}

/** Start by the person's address: its domain finds the organization (or start by organization id). */
export interface SsoStartRequest {
  email: string;
}

export interface SsoStartResponse {
  /** Where the browser goes next: the provider's authorization endpoint. */
  authorizationUrl: string;
}

/**
 * The provider sends the browser back to the console's `sso-callback` page; the console hands its
 * query string (`?code=…&state=…&iss=…`) to the API, which answers with the session.
 */
export interface SsoCallbackRequest {
  query: string;
}
