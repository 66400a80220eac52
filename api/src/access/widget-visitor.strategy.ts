import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AppStrategy } from './app-strategy';
import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import type { VisitorScope } from './access-policy';
import { VISITOR_HEADER } from './widget-headers';
import { WidgetSiteStrategy } from './widget-site.strategy';

/**
 * A widget visitor on REST routes: the site's key and origin as {@link WidgetSiteStrategy} checks
 * them, and the visitor uuid the widget generated (`X-Cloop-Visitor`), a secret of that browser.
 * A visitor the server has not seen yet passes: opening a widget session is how it becomes known.
 * (The realtime socket admits known visitors only; it checks the site the same way.)
 */
@Injectable()
export class WidgetVisitorStrategy extends AppStrategy {
  constructor(private readonly site: WidgetSiteStrategy) {
    super();
  }

  /** Passport's entry. */
  async validate(request: FastifyRequest): Promise<VisitorScope> {
    const site = await this.site.validate(request);
    const visitorUuid = request.headers[VISITOR_HEADER];
    if (typeof visitorUuid !== 'string' || !isUuid(visitorUuid)) {
      throw new DomainError('VISITOR_ID_INVALID', 'X-Cloop-Visitor must be the uuid the widget generated');
    }
    return { ...site, visitorUuid: visitorUuid.toLowerCase() };
  }
}
