import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import type { VisitorScope, WidgetSiteScope } from './access-policy';
import { WidgetSiteCache } from './widget-site-cache';

const SITE_KEY = /^pk_[A-Za-z0-9_-]{24}$/;
export const SITE_KEY_HEADER = 'x-cloop-site-key';
export const VISITOR_HEADER = 'x-cloop-visitor';

/**
 * Who may use the widget API: a known site key, from a browser on one of the site's allowed
 * origins (matched exactly), and for visitor routes a well-formed visitor uuid. Requests without
 * an `Origin` come from outside a browser and are accepted: the origin rule protects visitors'
 * browsers, it is not a secret.
 *
 * Cloop's own origin (`PUBLIC_URL`) may use every site's widget: it serves only the demo page,
 * which is Cloop itself showing a site its widget ("Try it"), not a third party embedding it.
 */
@Injectable()
export class WidgetAccess {
  private readonly ownOrigin: string;

  constructor(
    private readonly sites: WidgetSiteCache,
    @Inject(APP_CONFIG) config: ResolvedConfig,
  ) {
    this.ownOrigin = new URL(config.publicUrl).origin;
  }

  async site(request: FastifyRequest, reply: FastifyReply): Promise<WidgetSiteScope> {
    const origin = request.headers.origin ?? null;
    const site = await this.resolveSite(request.headers[SITE_KEY_HEADER], origin);
    if (origin !== null) allowCors(reply, origin);
    return site;
  }

  /** The site of a key, if the page's origin (`null` outside browsers) may use it; REST and sockets alike. */
  async resolveSite(siteKey: unknown, origin: string | null): Promise<WidgetSiteScope> {
    const site =
      typeof siteKey === 'string' && SITE_KEY.test(siteKey) ? await this.sites.find(siteKey) : null;
    if (!site) throw new DomainError('SITE_KEY_INVALID', 'Unknown site key');
    if (origin !== null && origin !== this.ownOrigin && !site.allowedOrigins.includes(origin)) {
      throw new DomainError(
        'ORIGIN_NOT_ALLOWED',
        "This page's origin is not among the site's allowed origins",
      );
    }
    return {
      siteId: site.id,
      publicKey: siteKey as string,
      widget: site.widget,
      leadCapture: site.leadCapture,
    };
  }

  async visitor(request: FastifyRequest, reply: FastifyReply): Promise<VisitorScope> {
    const site = await this.site(request, reply);
    const visitorUuid = request.headers[VISITOR_HEADER];
    if (typeof visitorUuid !== 'string' || !isUuid(visitorUuid)) {
      throw new DomainError('VISITOR_ID_INVALID', 'X-Cloop-Visitor must be the uuid the widget generated');
    }
    return { ...site, visitorUuid: visitorUuid.toLowerCase() };
  }
}

/** The CORS answer for one exact, allowed origin. */
export function allowCors(reply: FastifyReply, origin: string): void {
  void reply
    .header('Access-Control-Allow-Origin', origin)
    .header('Access-Control-Expose-Headers', 'Retry-After');
}
