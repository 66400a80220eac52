import { API_PREFIX } from '@cloop/contracts';
import { Controller, Headers, HttpCode, Options, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AccessService } from '../access/access.service';
import { Public } from '../access/policies';
import { allowCors, SITE_KEY_HEADER, VISITOR_HEADER } from '../access/widget-headers';
import { RateLimit } from '../rate-limit/rate-limit.decorator';

const WIDGET_PATHS = [
  'config',
  'session',
  'unread',
  'messages',
  'contact',
  'seen',
  'privacy',
  'privacy/export',
];

/**
 * CORS preflights of the widget API. A preflight does not carry the site key, so it can only ask
 * whether *some* site allows the origin; the real request is then checked against its own site.
 */
@ApiExcludeController()
@Controller(`${API_PREFIX}/widget`)
export class WidgetPreflightController {
  constructor(private readonly access: AccessService) {}

  @Options(WIDGET_PATHS)
  @Public()
  @RateLimit('chat')
  @HttpCode(204)
  async preflight(
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (origin && (await this.access.isOriginAllowedAnywhere(origin))) {
      allowCors(reply, origin);
      void reply
        .header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE')
        .header('Access-Control-Allow-Headers', `content-type, ${SITE_KEY_HEADER}, ${VISITOR_HEADER}`)
        .header('Access-Control-Max-Age', '600');
    }
  }
}
