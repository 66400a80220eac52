import type { ChangePasswordRequest, LoginRequest, MeResponse, SignupRequest } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import type { Principal } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { TransactionRunner } from '../database/transactions';
import { isUniqueViolation } from '../database/unique-violation';
import { InvitationsRepository } from '../organizations/invitations.repository';
import { MembershipsRepository } from '../organizations/memberships.repository';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import type { UserEntity } from '../users/user.entity';
import { mapUser } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { LoginThrottle } from './login-throttle';
import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from './passwords';
import { SessionsService, type TokenPair } from './sessions.service';
import { TokenService } from './token.service';

export interface SignedIn {
  tokens: TokenPair;
  user: UserEntity;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly loginThrottle: LoginThrottle,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Creates the user, their own organization (they own it) and joins every organization that invited them. */
  async signup(request: SignupRequest): Promise<SignedIn> {
    const email = normalizeEmail(request.email);
    if (!this.config.allowSignup && !(await this.invitations.hasPending(email))) {
      throw new DomainError('SIGNUP_DISABLED', 'Sign-up is by invitation only on this server');
    }
    assertAcceptablePassword(request.password, email);
    const passwordHash = await hashPassword(request.password);
    const name = request.name.trim();
    try {
      return await this.transactions.run(async (tx) => {
        const user = await this.users.insert(tx, { email, passwordHash, name });
        const organizationId = await this.organizations.insert(tx, `${name}'s organization`);
        const invited = await this.invitations.takePending(tx, email);
        await this.memberships.insert(tx, [
          { organizationId, userId: user.id, role: 'owner' },
          ...invited.map((invitation) => ({ ...invitation, userId: user.id })),
        ]);
        return { user, tokens: await this.sessions.start(tx, user.id) };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new DomainError('EMAIL_TAKEN', 'An account with this email already exists; sign in instead');
      }
      throw error;
    }
  }

  async login(request: LoginRequest, ip: string): Promise<SignedIn> {
    const email = normalizeEmail(request.email);
    await this.loginThrottle.assertAllowed(email, ip);
    const user = await this.users.findByEmail(email);
    const valid = user
      ? await verifyPassword(user.passwordHash, request.password)
      : await verifyAgainstDecoy(request.password);
    if (!user || !valid) {
      await this.loginThrottle.recordFailure(email, ip);
      // One message for both cases: the response must not tell whether the account exists.
      throw new DomainError('INVALID_CREDENTIALS', 'Invalid email or password');
    }
    await this.loginThrottle.forget(email, ip);
    return { user, tokens: await this.transactions.run((tx) => this.sessions.start(tx, user.id)) };
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const tokens = await this.sessions.rotate(refreshToken);
    const user = await this.users.findById(tokens.userId);
    if (!user)
      throw new DomainError('INVALID_REFRESH_TOKEN', 'Refresh token is invalid, expired or already used');
    return { user, tokens };
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.end(refreshToken);
  }

  /** Signs out every session of the user, then starts a fresh one for the caller. */
  async changePassword(principal: Principal, request: ChangePasswordRequest): Promise<SignedIn> {
    const user = await this.requireUser(principal.userId);
    if (!(await verifyPassword(user.passwordHash, request.currentPassword))) {
      throw new DomainError('WRONG_PASSWORD', 'The current password is not correct');
    }
    assertAcceptablePassword(request.newPassword, user.email);
    const passwordHash = await hashPassword(request.newPassword);
    const tokens = await this.transactions.run(async (tx) => {
      await this.users.updatePassword(tx, user.id, passwordHash);
      await this.sessions.endAllOfUser(tx, user.id);
      return this.sessions.start(tx, user.id);
    });
    return { user, tokens };
  }

  async me(principal: Principal): Promise<MeResponse> {
    const user = await this.requireUser(principal.userId);
    return { user: mapUser(user), organizations: await this.organizations.listForUser(user.id) };
  }

  /** The principal behind a bearer token; every failure is the same 401. */
  async authenticate(accessToken: string): Promise<Principal> {
    const claims = this.tokens.verifyAccessToken(accessToken);
    const user = claims ? await this.users.findById(claims.sub) : null;
    const live =
      claims !== null &&
      user !== null &&
      // JWT times are whole seconds; sessions revoked within the same second die by `isLive`.
      claims.iat >= Math.floor(user.tokensValidAfter.getTime() / 1000) &&
      (await this.sessions.isLive(claims.sid));
    if (!live)
      throw new DomainError('UNAUTHENTICATED', 'Access token is invalid or expired; refresh it or sign in');
    return { userId: claims.sub, sessionId: claims.sid };
  }

  private async requireUser(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user)
      throw new DomainError('UNAUTHENTICATED', 'Access token is invalid or expired; refresh it or sign in');
    return user;
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function assertAcceptablePassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new DomainError('WEAK_PASSWORD', problem);
}
