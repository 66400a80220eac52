import { SetMetadata } from '@nestjs/common';

import type { RateLimitGroup } from '../config/rate-limits';

export const RATE_LIMIT_GROUP = 'cloop:rate-limit-group';

/**
 * Puts a route (or controller) in a rate-limit group. Without it the group follows the access
 * policy: public routes count as `public`, console routes as `admin`.
 */
export const RateLimit = (group: RateLimitGroup) => SetMetadata(RATE_LIMIT_GROUP, group);
