import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { DomainError } from '../common/domain-error';
import {
  ACCESS_POLICY,
  type AccessPolicy,
  type Principal,
  type VisitorScope,
  type WidgetSiteScope,
} from './access-policy';
import { AccessService } from './access.service';
import { AppPassport, CONSOLE_JWT, WIDGET_SITE, WIDGET_VISITOR } from './app-passport';
import { allowCors } from './widget-headers';

/**
 * The one global guard: a route without a declared policy is refused. Who the caller is comes from
 * this app's Passport strategies; what they may do here from the policy (`AccessService`).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly passport: AppPassport,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) throw new DomainError('FORBIDDEN', 'This route declares no access policy');
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (policy.kind === 'siteKey' || policy.kind === 'visitor') {
      await this.admitWidget(policy.kind, request, reply);
      return true;
    }
    const principal = await this.passport.authenticate<Principal>(CONSOLE_JWT, request, reply);
    request.principal = principal;
    const params = request.params as Record<string, string | undefined>;
    switch (policy.kind) {
      case 'user':
        return true;
      case 'organization':
        request.organizationScope = await this.access.requireOrganizationRole(
          principal.userId,
          params['orgId'] ?? '',
          policy.minRole,
        );
        return true;
      case 'site':
        request.siteScope = await this.access.requireSiteRole(
          principal.userId,
          params['siteId'] ?? '',
          policy.minRole,
        );
        return true;
    }
  }

  private async admitWidget(
    kind: 'siteKey' | 'visitor',
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const site = await this.passport.authenticate<WidgetSiteScope>(WIDGET_SITE, request, reply);
    // The page may read every answer from here on, a refused visitor id included.
    const origin = request.headers.origin ?? null;
    if (origin !== null) allowCors(reply, origin);
    if (kind === 'siteKey') request.widgetSite = site;
    else request.visitor = await this.passport.authenticate<VisitorScope>(WIDGET_VISITOR, request, reply);
  }
}
