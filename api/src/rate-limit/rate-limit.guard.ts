import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { ACCESS_POLICY, type AccessPolicy } from '../access/access-policy';
import { isApiKeyAuthorization } from '../api-keys/api-key-secrets';
import { RateLimitKeys } from './rate-limit-keys';
import { RATE_LIMIT_GROUP } from './rate-limit.decorator';
import { RateLimitStore } from './rate-limit.store';
import type { RateLimitGroup } from '../config/rate-limits';

/** Runs before authentication, so floods are refused before any token check or password hash. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: RateLimitStore,
    private readonly keys: RateLimitKeys,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const group = this.groupOf(context, request);
    await this.store.enforce(this.keys.forClient(group, request.ip), this.config.rateLimits[group]);
    return true;
  }

  private groupOf(context: ExecutionContext, request: FastifyRequest): RateLimitGroup {
    const targets = [context.getHandler(), context.getClass()];
    const explicit = this.reflector.getAllAndOverride<RateLimitGroup | undefined>(RATE_LIMIT_GROUP, targets);
    if (explicit) return explicit;
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, targets);
    switch (policy?.kind) {
      case undefined:
      case 'public':
      case 'siteKey':
        return 'public';
      case 'visitor':
        return 'chat';
      case 'user':
      case 'organization':
      case 'site':
        // Told by the header alone: counted before any key is looked up (an invalid key counts too).
        return isApiKeyAuthorization(request.headers.authorization) ? 'apiKey' : 'admin';
    }
  }
}
