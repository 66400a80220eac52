import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { Principal } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { AppStrategy } from '../access/app-strategy';
import { SessionsService } from './sessions.service';
import { TokenService } from './token.service';

export const NOT_SIGNED_IN = 'Access token is invalid or expired; refresh it or sign in';

/**
 * The console's access tokens, on REST routes (`Authorization: Bearer <JWT>`) and on the realtime
 * socket (its `auth` frame) alike: a token this app signed (HS256, issuer, audience, lifetime; see
 * `TokenService`) whose session is still live, so signing out or changing the password ends it at
 * once. Every failure is the same 401.
 *
 * A `passport-custom` strategy rather than `passport-jwt`: the JWT checks stay in `TokenService`
 * beside the signing, and the socket, which has a token but no HTTP request, calls {@link verify}.
 */
@Injectable()
export class ConsoleJwtStrategy extends AppStrategy {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  /** Passport's entry: the principal of a REST request. */
  validate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer ([^\s]+)$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new DomainError('UNAUTHENTICATED', 'Sign in: an `Authorization: Bearer` token is required');
    }
    return this.verify(match[1]);
  }

  /** The principal behind an access token, for a request or a socket. */
  async verify(accessToken: string): Promise<Principal> {
    const claims = this.tokens.verifyAccessToken(accessToken);
    const session = claims ? await this.sessions.findLive(claims.sub, claims.sid) : null;
    // Both instants come from the app's clock (JWT times are whole seconds), never the database's.
    if (!claims || !session || claims.iat * 1000 < session.tokensValidAfter.getTime()) {
      throw new DomainError('UNAUTHENTICATED', NOT_SIGNED_IN);
    }
    return { userId: claims.sub, sessionId: claims.sid };
  }
}
