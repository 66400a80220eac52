import { createHash, randomBytes } from 'node:crypto';

import { PASSWORD_RESET_TTL_MINUTES, type PasswordResetConfirmRequest } from '@cloop/contracts';
import { Inject, Injectable } from '@nestjs/common';

import { AuditService } from '../../audit/audit.service';
import { DomainError } from '../../common/domain-error';
import { normalizeEmail } from '../../common/identifiers';
import { APP_CONFIG, type ResolvedConfig } from '../../config/config.module';
import { TransactionRunner } from '../../database/transactions';
import { consoleLink } from '../../mail/console-links';
import { MailBudget } from '../../mail/mail-budget';
import { Mailer } from '../../mail/mailer';
import { UsersService } from '../../users/users.service';
import { hashPassword, passwordProblem } from '../passwords';
import { SessionsService } from '../sessions.service';
import { PasswordResetsRepository } from './password-resets.repository';

const TTL_MS = PASSWORD_RESET_TTL_MINUTES * 60_000;
/**
 * Links one account is sent per hour, whatever addresses ask: the per-IP `mail` limit does not stop
 * a crowd of addresses from filling someone's inbox. Beyond it the answer stays the same.
 */
export const RESETS_PER_ACCOUNT_PER_HOUR = 5;
const HOUR_MS = 60 * 60_000;

/** Resets a forgotten password through a single-use link sent to the account's address. */
@Injectable()
export class PasswordResetService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly mailer: Mailer,
    private readonly mailBudget: MailBudget,
    private readonly users: UsersService,
    private readonly resets: PasswordResetsRepository,
    private readonly sessions: SessionsService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /**
   * Sends a reset link if the address has an account. Known and unknown addresses take the same
   * path (a token made and hashed, the same database writes, the mail only queued), so neither the
   * answer nor its timing tells them apart.
   */
  async request(email: string): Promise<void> {
    if (!this.mailer.enabled) {
      throw new DomainError(
        'MAIL_DISABLED',
        'This server sends no e-mail: ask its operator to reset the password',
      );
    }
    const address = normalizeEmail(email);
    const user = await this.users.findByEmail(address);
    // Counted for every address asked about, known or not: being limited tells nothing.
    const withinBudget = await this.mailBudget.take(address);
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const expiresAt = new Date(now + TTL_MS);
    const recent = await this.resets.countSince(user?.id ?? NO_USER, new Date(now - HOUR_MS));
    const content = {
      kind: 'password-reset',
      name: user?.name ?? '',
      link: consoleLink(this.config.publicUrl, 'reset-password', token),
    } as const;
    if (!user || recent >= RESETS_PER_ACCOUNT_PER_HOUR || !withinBudget) {
      await this.resets.insertNothing(hashToken(token), expiresAt);
      await this.mailer.sendNothing('en', content);
      return;
    }
    await this.resets.insert(user.id, hashToken(token), expiresAt);
    await this.mailer.send(user.email, user.locale, content);
  }

  /** Sets the new password; every session and access token of the account ends. */
  async confirm(request: PasswordResetConfirmRequest): Promise<void> {
    const tokenHash = hashToken(request.token);
    await this.transactions.run(async (tx) => {
      const userId = await this.resets.claim(tx, tokenHash);
      const user = userId === null ? null : await this.users.findById(userId, tx);
      if (!user) throw invalidToken();
      const problem = passwordProblem(request.newPassword, user.email);
      // Thrown inside the transaction: a weak password leaves the link usable for a better one.
      if (problem) throw new DomainError('WEAK_PASSWORD', problem);
      await this.users.updatePassword(
        tx,
        user.id,
        await hashPassword(request.newPassword),
        wholeSecondsNow(),
      );
      await this.sessions.endAllOfUser(tx, user.id);
      // The link reached the address: it is proven.
      await this.users.markEmailVerified(tx, user.id, user.email);
      await this.audit.recordForUser(tx, user.id, {
        actor: { kind: 'user', userId: user.id },
        action: 'auth.password_reset',
        target: { type: 'user', id: user.id },
        details: { by: 'email' },
      });
    });
    await this.resets.deleteExpiredBefore(new Date(Date.now() - 24 * HOUR_MS));
  }
}

/** Counted for an unknown address too, so both take the same queries. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function invalidToken(): DomainError {
  return new DomainError('RESET_TOKEN_INVALID', 'The reset link is invalid, expired or already used');
}

function wholeSecondsNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}
