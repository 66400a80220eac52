import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
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

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  signAccessToken(userId: string, sessionId: string): { token: string; expiresAt: Date } {
    const token = this.jwt.sign(
      { sid: sessionId },
      {
        secret: this.config.jwtSecret,
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
      const claims = this.jwt.verify<Partial<AccessClaims>>(token, {
        secret: this.config.jwtSecret,
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const { sub, sid, iat } = claims;
      return typeof sub === 'string' && typeof sid === 'string' && typeof iat === 'number'
        ? { sub, sid, iat }
        : null;
    } catch {
      return null;
    }
  }
}

/** 256 random bits; the client keeps the token, the database only its hash. */
export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
