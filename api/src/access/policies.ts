import type { ApiKeyScope, Role } from '@cloop/contracts';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';

import { ApiErrors } from '../openapi/api-errors';
import { ApiUuidParam } from '../openapi/api-params';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy';

const policy = (value: AccessPolicy) => SetMetadata(ACCESS_POLICY, value);
const limited = ApiErrors({ RATE_LIMITED: 'Rate limit exceeded; wait for `Retry-After` seconds' });
const signedIn = [
  ApiBearerAuth('console'),
  ApiErrors({ UNAUTHENTICATED: 'The access token is missing, invalid or expired' }),
  limited,
];

/** Anyone may call the route. */
export const Public = () =>
  // An empty requirement: the document states "no credentials" instead of leaving it unsaid.
  applyDecorators(policy({ kind: 'public' }), ApiSecurity({}), limited);

/**
 * Also open to organization API keys with `scope` (`Authorization: Bearer ck_…`): documented as a
 * second, alternative security requirement naming the scope.
 */
const keyAlso = (scope: ApiKeyScope | undefined) =>
  scope
    ? [
        ApiSecurity('apiKey', [scope]),
        ApiErrors({ FORBIDDEN: `An API key without the \`${scope}\` scope (write includes read)` }),
      ]
    : [];

/** Any signed-in console user; with `apiKey`, also a key with that scope. */
export const Authenticated = (apiKey?: ApiKeyScope) =>
  applyDecorators(policy({ kind: 'user', apiKey }), ...signedIn, ...keyAlso(apiKey));

/** A policy on a tenant named by a path parameter: outsiders get 404, members below `minRole` 403. */
const scoped = (
  policyValue: AccessPolicy,
  param: 'orgId' | 'siteId',
  notFound: 'ORGANIZATION_NOT_FOUND' | 'SITE_NOT_FOUND',
  notFoundWhen: string,
  minRole: Role,
  apiKey: ApiKeyScope | undefined,
) =>
  applyDecorators(
    policy(policyValue),
    ...signedIn,
    ...keyAlso(apiKey),
    ApiUuidParam(param),
    ApiErrors({
      // Every member has at least the member role: only higher requirements can answer 403.
      ...(minRole === 'member' ? {} : { FORBIDDEN: `The caller's role is below ${minRole}` }),
      [notFound]: notFoundWhen,
    }),
  );

/**
 * A member of the organization in `:orgId` with at least `minRole`; with `apiKey`, also a key of
 * that organization with that scope, whose creator has the role now. Without it, people only.
 */
export const OrganizationAccess = (minRole: Role, apiKey?: ApiKeyScope) =>
  scoped(
    { kind: 'organization', minRole, apiKey },
    'orgId',
    'ORGANIZATION_NOT_FOUND',
    'No such organization, or the caller is not a member',
    minRole,
    apiKey,
  );

/**
 * A member of the organization owning the site in `:siteId`, with at least `minRole`; with
 * `apiKey`, also a key of that organization with that scope, whose creator has the role now.
 */
export const SiteAccess = (minRole: Role, apiKey?: ApiKeyScope) =>
  scoped(
    { kind: 'site', minRole, apiKey },
    'siteId',
    'SITE_NOT_FOUND',
    "No such site, or not one of the caller's",
    minRole,
    apiKey,
  );

const widgetHeaders = [
  ApiErrors({
    SITE_KEY_INVALID: '`X-Cloop-Site-Key` is missing or names no site',
    ORIGIN_NOT_ALLOWED: "The page's `Origin` is not among the site's allowed origins",
  }),
  limited,
];

/** The widget before anyone is identified: site key and an allowed origin. */
export const SiteKeyAccess = () =>
  applyDecorators(policy({ kind: 'siteKey' }), ApiSecurity('siteKey'), ...widgetHeaders);

/** A widget visitor: site key, allowed origin and the visitor uuid; their own data only. */
export const VisitorAccess = () =>
  applyDecorators(
    policy({ kind: 'visitor' }),
    // One requirement naming both headers: OpenAPI reads separate entries as alternatives.
    ApiSecurity({ siteKey: [], visitor: [] }),
    ...widgetHeaders,
    ApiErrors({ VISITOR_ID_INVALID: '`X-Cloop-Visitor` is missing or not a UUID' }),
  );
