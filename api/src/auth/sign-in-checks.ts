import { Injectable } from '@nestjs/common';

import type { UserRecord } from '../users/user-record';

/** Throws a `DomainError` when this password sign-in must not happen; may audit when it does. */
export type PasswordSignInCheck = (user: UserRecord) => Promise<void>;

/** `false`: the session must end now (its refresh is refused). */
export type RefreshCheck = (session: { userId: string; sessionId: string }) => Promise<boolean>;

/**
 * Rules other modules add to the one sign-in path (single sign-on: "SSO only" organizations, and
 * the provider's re-check at refresh) without this module importing them: they register here when
 * they start, and `AuthService` runs every registered rule.
 */
@Injectable()
export class SignInChecks {
  private readonly passwordChecks: PasswordSignInCheck[] = [];
  private readonly refreshChecks: RefreshCheck[] = [];

  onPasswordSignIn(check: PasswordSignInCheck): void {
    this.passwordChecks.push(check);
  }

  onRefresh(check: RefreshCheck): void {
    this.refreshChecks.push(check);
  }

  async checkPasswordSignIn(user: UserRecord): Promise<void> {
    for (const check of this.passwordChecks) await check(user);
  }

  async mayRefresh(session: { userId: string; sessionId: string }): Promise<boolean> {
    for (const check of this.refreshChecks) if (!(await check(session))) return false;
    return true;
  }
}
