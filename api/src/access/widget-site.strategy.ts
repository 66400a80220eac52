import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AppStrategy } from './app-strategy';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import type { WidgetSiteScope } from './access-policy';
import { SITE_KEY_HEADER } from './widget-headers';
import { WidgetSiteCache } from './widget-site-cache';

const SITE_KEY = /^pk_[A-Za-z0-9_-]{24}$/;

/**
 * The widget before anyone is identified: a known site key, from a browser on one of the site's
 * allowed origins (matched exactly). Requests without an `Origin` come from outside a browser and
 * are accepted: the origin rule protects visitors' browsers, it is not a secret.
 *
 * Cloop's own origin (`PUBLIC_URL`) may use every site's widget: it serves only the demo page,
 * which is Cloop itself showing a site its widget ("Try it"), not a third party embedding it.
 */
@Injectable()
export class WidgetSiteStrategy extends AppStrategy {
  private readonly ownOrigin: string;

  constructor(
    private readonly sites: WidgetSiteCache,
    @Inject(APP_CONFIG) config: ResolvedConfig,
  ) {
    super();
    this.ownOrigin = new URL(config.publicUrl).origin;
  }

  /** Passport's entry: the site of a REST request (`X-Cloop-Site-Key`, `Origin`). */
  validate(request: FastifyRequest): Promise<WidgetSiteScope> {
    return this.resolve(request.headers[SITE_KEY_HEADER], request.headers.origin ?? null);
  }

  /** The site of a key, if the page's origin (`null` outside browsers) may use it; REST and sockets alike. */
  async resolve(siteKey: unknown, origin: string | null): Promise<WidgetSiteScope> {
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
}
