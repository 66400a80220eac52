import type { Role } from '@cloop/contracts';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiParam,
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

/** A member of the organization in `:orgId` with at least `minRole`. */
export const OrganizationAccess = (minRole: Role) =>
  applyDecorators(
    policy({ kind: 'organization', minRole }),
    ...signedIn,
    ApiParam({ name: 'orgId', format: 'uuid' }),
    ApiForbiddenResponse({ description: `Requires the ${minRole} role or higher`, type: ErrorResponseDto }),
    ApiNotFoundResponse({
      description: 'No such organization, or the caller is not a member',
      type: ErrorResponseDto,
    }),
  );

/** A member of the organization owning the site in `:siteId`, with at least `minRole`. */
export const SiteAccess = (minRole: Role) =>
  applyDecorators(
    policy({ kind: 'site', minRole }),
    ...signedIn,
    ApiParam({ name: 'siteId', format: 'uuid' }),
    ApiForbiddenResponse({ description: `Requires the ${minRole} role or higher`, type: ErrorResponseDto }),
    ApiNotFoundResponse({ description: "No such site, or not one of the caller's", type: ErrorResponseDto }),
  );
