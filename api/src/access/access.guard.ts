import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuthService } from '../auth/auth.service';
import { DomainError } from '../common/domain-error';
import { ACCESS_POLICY, type AccessPolicy, type Principal } from './access-policy';
import { AccessService } from './access.service';
import { WidgetAccess } from './widget-access';

/** The one global guard: a route without a declared policy is refused. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly access: AccessService,
    private readonly widget: WidgetAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) throw new DomainError('FORBIDDEN', 'This route declares no access policy');
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (policy.kind === 'siteKey' || policy.kind === 'visitor') {
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      if (policy.kind === 'siteKey') request.widgetSite = await this.widget.site(request, reply);
      else request.visitor = await this.widget.visitor(request, reply);
      return true;
    }
    const principal = await this.authenticate(request);
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

  private authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer ([^\s]+)$/i.exec(header) : null;
    if (!match?.[1])
      throw new DomainError('UNAUTHENTICATED', 'Sign in: an `Authorization: Bearer` token is required');
    return this.auth.authenticate(match[1]);
  }
}
