import type { Role } from '@cloop/contracts';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiParam,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { ErrorResponseDto } from '../common/error-response.dto';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy';

const policy = (value: AccessPolicy) => SetMetadata(ACCESS_POLICY, value);
const limited = ApiTooManyRequestsResponse({
  description: 'Rate limit exceeded; see `Retry-After`',
  type: ErrorResponseDto,
});
const signedIn = [
  ApiBearerAuth('console'),
  ApiUnauthorizedResponse({
    description: 'Missing, invalid or expired access token',
    type: ErrorResponseDto,
  }),
  limited,
];

/** Anyone may call the route. */
export const Public = () => applyDecorators(policy({ kind: 'public' }), limited);

/** Any signed-in console user. */
export const Authenticated = () => applyDecorators(policy({ kind: 'user' }), ...signedIn);

/** A policy on a tenant named by a path parameter: outsiders get 404, members below `minRole` 403. */
const scoped = (policyValue: AccessPolicy, param: string, notFound: string, minRole: Role) =>
  applyDecorators(
    policy(policyValue),
    ...signedIn,
    ApiParam({ name: param, format: 'uuid' }),
    ApiForbiddenResponse({ description: `Requires the ${minRole} role or higher`, type: ErrorResponseDto }),
    ApiNotFoundResponse({ description: notFound, type: ErrorResponseDto }),
  );

/** A member of the organization in `:orgId` with at least `minRole`. */
export const OrganizationAccess = (minRole: Role) =>
  scoped(
    { kind: 'organization', minRole },
    'orgId',
    'No such organization, or the caller is not a member',
    minRole,
  );

/** A member of the organization owning the site in `:siteId`, with at least `minRole`. */
export const SiteAccess = (minRole: Role) =>
  scoped({ kind: 'site', minRole }, 'siteId', "No such site, or not one of the caller's", minRole);

const widgetHeaders = [
  ApiUnauthorizedResponse({ description: 'SITE_KEY_INVALID', type: ErrorResponseDto }),
  ApiForbiddenResponse({
    description: "ORIGIN_NOT_ALLOWED: the page's origin is not allowed",
    type: ErrorResponseDto,
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
    ApiBadRequestResponse({ description: 'VISITOR_ID_INVALID or an invalid body', type: ErrorResponseDto }),
  );
