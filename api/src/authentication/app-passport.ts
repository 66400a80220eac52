import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Passport } from 'passport';

import { ApiKeyStrategy } from '../api-keys/api-key.strategy';
import { ConsoleJwtStrategy } from '../auth/console-jwt.strategy';
import { WidgetSiteStrategy } from '../access/widget-site.strategy';
import { WidgetVisitorStrategy } from '../access/widget-visitor.strategy';

export const CONSOLE_JWT = 'console-jwt';
export const WIDGET_SITE = 'widget-site';
export const WIDGET_VISITOR = 'widget-visitor';
export const API_KEY = 'api-key';
type StrategyName = typeof CONSOLE_JWT | typeof API_KEY | typeof WIDGET_SITE | typeof WIDGET_VISITOR;

/**
 * This app's own Passport instance and the strategies it knows. Not passport's process-wide
 * instance, nor @nestjs/passport's `AuthGuard` (which always uses that one): several apps in one
 * process (the tests, a second replica in a test) each authenticate with their own secret and
 * database. The access guard is the one caller for REST requests.
 */
@Injectable()
export class AppPassport {
  private readonly passport = new Passport();

  constructor(
    console: ConsoleJwtStrategy,
    apiKey: ApiKeyStrategy,
    site: WidgetSiteStrategy,
    visitor: WidgetVisitorStrategy,
  ) {
    this.passport
      .use(CONSOLE_JWT, console)
      .use(API_KEY, apiKey)
      .use(WIDGET_SITE, site)
      .use(WIDGET_VISITOR, visitor);
  }

  /**
   * What the strategy's `validate` returned, or its error (a `DomainError`, answered as usual).
   * No session: each request carries its credentials.
   */
  authenticate<T>(strategy: StrategyName, request: FastifyRequest, reply: FastifyReply): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Our strategies never fail without an error: `validate` returns the caller or throws.
      const done = (error: Error | null, user: T | false) =>
        error ? reject(error) : user ? resolve(user) : reject(new Error(`${strategy} refused silently`));
      const middleware = this.passport.authenticate(strategy, { session: false }, done) as PassportMiddleware;
      middleware(request, reply, (error) => reject(error ?? new Error(`${strategy} passed the request on`)));
    });
  }
}

/** What `authenticate` returns: connect-style middleware; `next` only for an unknown name or a `pass()`. */
type PassportMiddleware = (
  request: FastifyRequest,
  reply: FastifyReply,
  next: (error?: Error) => void,
) => void;
