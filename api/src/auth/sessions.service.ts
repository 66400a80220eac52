import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import type { Tx } from '../database/transactions';
import { TransactionRunner } from '../database/transactions';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { hashRefreshToken, newRefreshToken, REFRESH_TOKEN_TTL_MS, TokenService } from './token.service';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  userId: string;
  /** The refresh-token family: what other modules attach session state to. */
  sessionId: string;
}

/**
 * A session is one refresh-token family: sign-in starts it, every refresh rotates it, and reuse of
 * a rotated token (a sign of theft) or sign-out revokes it together with its access tokens.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  start(tx: Tx, userId: string): Promise<TokenPair> {
    return this.issue(tx, userId, randomUUID());
  }

  async rotate(refreshToken: string): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(refreshToken);
    const outcome = await this.transactions.run(async (tx) => {
      const claimed = await this.refreshTokens.claim(tx, tokenHash);
      if (claimed) return this.issue(tx, claimed.userId, claimed.familyId);
      const known = await this.refreshTokens.findByHash(tx, tokenHash);
      if (known?.usedAt) {
        await this.refreshTokens.revokeFamily(tx, known.familyId);
        await this.audit.recordForUser(tx, known.userId, {
          actor: { kind: 'anonymous' },
          action: 'auth.refresh_reused',
          target: { type: 'user', id: known.userId },
          details: { session: known.familyId },
        });
      }
      return null;
    });
    // Thrown after the commit: a reused token must revoke its family even though the call fails.
    if (!outcome)
      throw new DomainError('INVALID_REFRESH_TOKEN', 'Refresh token is invalid, expired or already used');
    return outcome;
  }

  async end(refreshToken: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const known = await this.refreshTokens.findByHash(tx, hashRefreshToken(refreshToken));
      if (known) await this.refreshTokens.revokeFamily(tx, known.familyId);
    });
  }

  /** The session of a refresh token that may still be used, without using it; `null` otherwise. */
  findByRefreshToken(refreshToken: string): Promise<{ userId: string; sessionId: string } | null> {
    return this.refreshTokens.findUsable(hashRefreshToken(refreshToken));
  }

  endAllOfUser(tx: Tx, userId: string): Promise<void> {
    return this.refreshTokens.revokeAllOfUser(tx, userId);
  }

  /** The user of a session that is still signed in, or `null`. */
  findLive(userId: string, sessionId: string): Promise<{ tokensValidAfter: Date } | null> {
    return this.refreshTokens.findLiveSessionUser(userId, sessionId);
  }

  private async issue(tx: Tx, userId: string, familyId: string): Promise<TokenPair> {
    const refresh = newRefreshToken();
    const refreshTokenExpiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    await this.refreshTokens.insert(tx, {
      userId,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: refreshTokenExpiresAt,
    });
    const access = this.tokens.signAccessToken(userId, familyId);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt,
      userId,
      sessionId: familyId,
    };
  }
}
