import type {
  AuthResponse,
  ChangePasswordRequest,
  LoginRequest,
  MeResponse,
  SignupRequest,
  User,
} from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import type { Principal } from '../access/access-policy';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { normalizeEmail } from '../common/identifiers';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { TransactionRunner, type Tx } from '../database/transactions';
import { isUniqueViolation } from '../database/constraint-violations';
import { AccountOrganizations } from '../organizations/account-organizations';
import { InvitationLinks } from '../organizations/invitation-links';
import type { UserRecord } from '../users/user-record';
import { mapUser } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { mapAuthResponse } from './auth.mapper';
import { EmailVerificationService } from './email-verification/email-verification.service';
import { NOT_SIGNED_IN } from './console-jwt.strategy';
import { LoginThrottle } from './login-throttle';
import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';
import { SignInChecks } from './sign-in-checks';

/** An account the operator created, with the organization it owns. */
export interface CreatedUser {
  user: User;
  organizationId: string;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly users: UsersService,
    private readonly organizations: AccountOrganizations,
    private readonly invitationLinks: InvitationLinks,
    private readonly emailVerification: EmailVerificationService,
    private readonly sessions: SessionsService,
    private readonly loginThrottle: LoginThrottle,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly signInChecks: SignInChecks,
  ) {}

  /**
   * A new account (see {@link createAccount}) and its first session, when sign-up is open to them;
   * an unproven address gets a confirmation link when e-mail is on.
   */
  async signup(request: SignupRequest): Promise<AuthResponse> {
    await this.assertMaySignUp(normalizeEmail(request.email));
    const { response, user } = await this.createAccount(request, async (tx, created) => ({
      response: mapAuthResponse(await this.sessions.start(tx, created.id), created),
      user: created,
    }));
    await this.emailVerification.sendFor(user);
    return response;
  }

  /**
   * The server operator's `cloop user:create`: the account sign-up makes, whether or not sign-up
   * is open (that is how an invitation-only server gets its first owner), and no session.
   */
  createUser(request: SignupRequest): Promise<CreatedUser> {
    return this.createAccount(request, (_tx, user, organizationId) =>
      Promise.resolve({ user: mapUser(user), organizationId }),
    );
  }

  /**
   * The server operator's `cloop user:password`, for someone locked out: a new password, and every
   * session and access token of theirs ends. `null` when no account has the email.
   */
  async resetPassword(email: string, newPassword: string): Promise<User | null> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    if (!user) return null;
    assertAcceptablePassword(newPassword, user.email);
    const passwordHash = await hashPassword(newPassword);
    await this.transactions.run(async (tx) => {
      await this.users.updatePassword(tx, user.id, passwordHash, wholeSecondsNow());
      await this.sessions.endAllOfUser(tx, user.id);
      await this.audit.recordForUser(tx, user.id, {
        actor: { kind: 'system' },
        action: 'auth.password_reset',
        target: { type: 'user', id: user.id },
      });
    });
    return mapUser(user);
  }

  async login(request: LoginRequest, ip: string): Promise<AuthResponse> {
    const email = normalizeEmail(request.email);
    await this.loginThrottle.attempt(email, ip);
    const user = await this.users.findByEmail(email);
    const valid = user
      ? await verifyPassword(user.passwordHash, request.password)
      : await verifyAgainstDecoy(request.password);
    if (user && !valid) {
      this.audit.recordForUserDetached(user.id, {
        actor: { kind: 'anonymous' },
        action: 'auth.login_failed',
        target: { type: 'user', id: user.id },
      });
    }
    // One message for both cases: the response must not tell whether the account exists.
    if (!user || !valid) throw new DomainError('INVALID_CREDENTIALS', 'Invalid email or password');
    await this.loginThrottle.succeeded(email, ip);
    await this.signInChecks.checkPasswordSignIn(user);
    return mapAuthResponse(await this.transactions.run((tx) => this.sessions.start(tx, user.id)), user);
  }

  async refresh(refreshToken: string): Promise<AuthResponse> {
    const session = await this.sessions.findByRefreshToken(refreshToken);
    // Checked before rotating, outside its transaction: a check may ask an identity provider.
    if (session && !(await this.signInChecks.mayRefresh(session))) {
      await this.sessions.end(refreshToken);
      throw new DomainError('INVALID_REFRESH_TOKEN', 'Refresh token is invalid, expired or already used');
    }
    const tokens = await this.sessions.rotate(refreshToken);
    return mapAuthResponse(tokens, await this.requireUser(tokens.userId));
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.end(refreshToken);
  }

  /** Signs out every session of the user, then starts a fresh one for the caller. */
  async changePassword(
    principal: Principal,
    request: ChangePasswordRequest,
    ip: string,
  ): Promise<AuthResponse> {
    const user = await this.confirmPassword(principal, request.currentPassword, ip);
    assertAcceptablePassword(request.newPassword, user.email);
    const passwordHash = await hashPassword(request.newPassword);
    const tokens = await this.transactions.run(async (tx) => {
      await this.users.updatePassword(tx, user.id, passwordHash, wholeSecondsNow());
      await this.sessions.endAllOfUser(tx, user.id);
      return this.sessions.start(tx, user.id);
    });
    return mapAuthResponse(tokens, user);
  }

  /** Re-checks the password before a sensitive change, throttled like sign-in. */
  async confirmPassword(principal: Principal, password: string, ip: string): Promise<UserRecord> {
    const user = await this.requireUser(principal.userId);
    // A stolen access token must not become an unthrottled password oracle.
    await this.loginThrottle.attempt(user.email, ip);
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw new DomainError('WRONG_PASSWORD', 'The current password is not correct');
    }
    await this.loginThrottle.succeeded(user.email, ip);
    return user;
  }

  async me(principal: Principal): Promise<MeResponse> {
    const user = await this.requireUser(principal.userId);
    return { user: mapUser(user), organizations: await this.organizations.listForUser(user.id) };
  }

  /**
   * Open sign-up, or by invitation only (`ALLOW_SIGNUP=false`); the very first account of a new
   * install may always sign up, or nobody could ever get in to invite anyone.
   */
  private async assertMaySignUp(email: string): Promise<void> {
    if (
      this.config.allowSignup ||
      (await this.organizations.hasPendingInvitation(email)) ||
      !(await this.users.any())
    )
      return;
    throw new DomainError('SIGNUP_DISABLED', 'Sign-up is by invitation only on this server');
  }

  /**
   * The user, their own organization (they own it) and, with an invitation link for the address,
   * membership of the inviting organization (the link proves the address), in one transaction
   * that `then` finishes. Invitations without the link wait for the account to accept them.
   */
  private async createAccount<T>(
    request: SignupRequest,
    then: (tx: Tx, user: UserRecord, organizationId: string) => Promise<T>,
  ): Promise<T> {
    const email = normalizeEmail(request.email);
    assertAcceptablePassword(request.password, email);
    const passwordHash = await hashPassword(request.password);
    const name = request.name.trim();
    try {
      return await this.transactions.run(async (tx) => {
        await this.organizations.lockInvitationsOf(tx, email);
        const invited =
          request.invitationToken === undefined
            ? null
            : await this.invitationLinks.take(tx, request.invitationToken, email);
        const user = await this.users.insert(tx, {
          email,
          passwordHash,
          name,
          locale: request.locale ?? 'en',
          emailVerifiedAt: invited ? new Date() : null,
        });
        const organizationId = await this.organizations.foundFor(tx, { userId: user.id, name }, invited);
        return then(tx, user, organizationId);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new DomainError('EMAIL_TAKEN', 'An account with this email already exists; sign in instead');
      }
      throw error;
    }
  }

  private async requireUser(userId: string): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', NOT_SIGNED_IN);
    return user;
  }
}

function wholeSecondsNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

function assertAcceptablePassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new DomainError('WEAK_PASSWORD', problem);
}
