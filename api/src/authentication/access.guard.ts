import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { isApiKeyAuthorization } from '../api-keys/api-key-secrets';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { DomainError } from '../common/domain-error';
import {
  ACCESS_POLICY,
  type AccessPolicy,
  type ApiKeyCaller,
  type Principal,
  type VisitorScope,
  type WidgetSiteScope,
} from '../access/access-policy';
import { AccessService, requireScope } from '../access/access.service';
import { API_KEY, AppPassport, CONSOLE_JWT, WIDGET_SITE, WIDGET_VISITOR } from './app-passport';
import { allowCors } from '../access/widget-headers';

/**
 * The one global guard: a route without a declared policy is refused. Who the caller is comes from
 * this app's Passport strategies (a console access token, or an organization API key `ck_…`); what
 * they may do here from the policy (`AccessService`).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly passport: AppPassport,
    private readonly access: AccessService,
    private readonly apiKeys: ApiKeysService,
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
    const apiKey = isApiKeyAuthorization(request.headers.authorization);
    const principal = await this.passport.authenticate<Principal>(
      apiKey ? API_KEY : CONSOLE_JWT,
      request,
      reply,
    );
    request.principal = principal;
    if (principal.apiKey) {
      await this.admitApiKey(policy, principal, principal.apiKey, request);
      return true;
    }
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

  /**
   * The same policy for an API key, narrowed: only routes that name a scope take keys (never the
   * key, member or account routes), and each privacy request by a key goes in the audit trail.
   */
  private async admitApiKey(
    policy: Extract<AccessPolicy, { kind: 'user' | 'organization' | 'site' }>,
    principal: Principal,
    key: ApiKeyCaller,
    request: FastifyRequest,
  ): Promise<void> {
    const required = policy.apiKey;
    if (!required) {
      throw new DomainError('FORBIDDEN', 'API keys cannot use this route; sign in to the console instead');
    }
    const params = request.params as Record<string, string | undefined>;
    switch (policy.kind) {
      case 'user':
        requireScope(key, required);
        return;
      case 'organization':
        request.organizationScope = await this.access.requireKeyOrganizationRole(
          principal.userId,
          key,
          params['orgId'] ?? '',
          policy.minRole,
          required,
        );
        return;
      case 'site': {
        const scope = await this.access.requireKeySiteRole(
          principal.userId,
          key,
          params['siteId'] ?? '',
          policy.minRole,
          required,
        );
        request.siteScope = scope;
        if (required.startsWith('privacy:')) {
          await this.apiKeys.recordPrivacyUse(
            principal,
            scope,
            request.method,
            request.routeOptions.url ?? '',
          );
        }
        return;
      }
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
