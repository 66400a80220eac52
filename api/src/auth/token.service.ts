import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { isUuid } from '../common/identifiers';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** Clocks of two replicas may differ a little; a token issued further in the future is not ours. */
const CLOCK_SKEW_SECONDS = 60;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const ISSUER = 'cloop';
const AUDIENCE = 'console';

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Refresh-token family (session) id, so signing out kills the access token too. */
  sid: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
}

/** Signs and checks access tokens with the module's key (`auth.module.ts`). */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  signAccessToken(userId: string, sessionId: string): { token: string; expiresAt: Date } {
    const token = this.jwt.sign(
      { sid: sessionId },
      {
        algorithm: 'HS256',
        subject: userId,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: ACCESS_TOKEN_TTL_SECONDS,
        // Unique even when two tokens for one session are issued within the same second.
        jwtid: randomUUID(),
      },
    );
    return { token, expiresAt: new Date(Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000) };
  }

  /** The claims of a valid access token, or `null` for anything else (forged, expired, wrong audience…). */
  verifyAccessToken(token: string): AccessClaims | null {
    try {
      const claims = this.jwt.verify<Partial<AccessClaims & { exp: number }>>(token, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      return wellFormed(claims) ? { sub: claims.sub, sid: claims.sid, iat: claims.iat } : null;
    } catch {
      return null;
    }
  }
}

/**
 * The claims every token this app signs carries. `jsonwebtoken` checks `exp` only when present, so
 * a token without one (or one that lives longer than the app ever issues) would be valid forever
 * to anyone holding the key once: refuse both. Ids must be UUIDs before they reach a query.
 */
function wellFormed(
  claims: Partial<AccessClaims & { exp: number }>,
): claims is AccessClaims & { exp: number } {
  const { sub, sid, iat, exp } = claims;
  return (
    typeof sub === 'string' &&
    isUuid(sub) &&
    typeof sid === 'string' &&
    isUuid(sid) &&
    typeof iat === 'number' &&
    typeof exp === 'number' &&
    exp - iat <= ACCESS_TOKEN_TTL_SECONDS &&
    iat <= Date.now() / 1000 + CLOCK_SKEW_SECONDS
  );
}

/** 256 random bits; the client keeps the token, the database only its hash. */
export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
