import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { OrganizationScope, Principal, SiteScope, VisitorScope, WidgetSiteScope } from './access-policy';

function fromRequest<T>(pick: (request: FastifyRequest) => T | undefined, what: string) {
  return createParamDecorator((_: unknown, context: ExecutionContext): T => {
    const value = pick(context.switchToHttp().getRequest<FastifyRequest>());
    // Reaching here without a value means the route's policy does not match its handler.
    if (value === undefined)
      throw new Error(`${what} is not resolved for this route; check its access policy`);
    return value;
  })();
}

export const CurrentUser = () => fromRequest<Principal>((r) => r.principal, 'The signed-in user');
export const CurrentOrganization = () =>
  fromRequest<OrganizationScope>((r) => r.organizationScope, 'The organization scope');
export const CurrentSite = () => fromRequest<SiteScope>((r) => r.siteScope, 'The site scope');
export const CurrentWidgetSite = () => fromRequest<WidgetSiteScope>((r) => r.widgetSite, 'The widget site');
export const CurrentVisitor = () => fromRequest<VisitorScope>((r) => r.visitor, 'The visitor');
