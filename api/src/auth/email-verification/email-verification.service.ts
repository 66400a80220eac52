import { Inject, Injectable, Logger } from '@nestjs/common';

import type { Principal } from '../../access/access-policy';
import { DomainError } from '../../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../../config/config.module';
import { describeFailure } from '../../database/describe-failure';
import { consoleLink } from '../../mail/console-links';
import { MailBudget } from '../../mail/mail-budget';
import { Mailer } from '../../mail/mailer';
import { SignedLinks } from '../../mail/signed-links';
import type { UserRecord } from '../../users/user-record';
import { UsersService } from '../../users/users.service';

const PURPOSE = 'verify-email';
const TTL_MS = 3 * 24 * 60 * 60_000;

/**
 * Proves that an account's address is its owner's: a signed link bound to the account and the
 * address (a changed address makes it void). Opening it twice is harmless, so it keeps no state.
 */
@Injectable()
export class EmailVerificationService {
  private readonly logger = new Logger('EmailVerification');

  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly mailer: Mailer,
    private readonly mailBudget: MailBudget,
    private readonly links: SignedLinks,
    private readonly users: UsersService,
  ) {}

  /**
   * At sign-up: queues the link (a row in the mail outbox) before the answer, so a sign-up that was
   * answered has its message stored; a failure to queue is logged, not the sign-up's failure (the
   * user can ask again from the console).
   */
  async sendFor(
    user: Pick<UserRecord, 'id' | 'email' | 'name' | 'locale' | 'emailVerifiedAt'>,
  ): Promise<void> {
    await this.queueFor(user).catch((error: unknown) =>
      this.logger.error(`could not queue a confirmation message: ${describeFailure(error)}`),
    );
  }

  async resend(principal: Principal): Promise<void> {
    if (!this.mailer.enabled) throw new DomainError('MAIL_DISABLED', 'This server sends no e-mail');
    const user = await this.users.findById(principal.userId);
    if (user) await this.queueFor(user);
  }

  /**
   * Queues the link for an unproven account; nothing when e-mail is off, the address is proven or
   * it was sent its share of messages for now (the answer stays the same).
   */
  private async queueFor(
    user: Pick<UserRecord, 'id' | 'email' | 'name' | 'locale' | 'emailVerifiedAt'>,
  ): Promise<void> {
    if (!this.mailer.enabled || user.emailVerifiedAt !== null) return;
    if (!(await this.mailBudget.take(user.email))) return;
    const token = this.links.sign(PURPOSE, { u: user.id, m: user.email }, new Date(Date.now() + TTL_MS));
    await this.mailer.send(user.email, user.locale, {
      kind: 'verify-email',
      name: user.name,
      link: consoleLink(this.config.publicUrl, 'verify-email', token),
    });
  }

  async verify(token: string): Promise<void> {
    const claims = this.links.verify(PURPOSE, token);
    const verified =
      claims?.['u'] && claims['m']
        ? await this.users.markEmailVerified(null, claims['u'], claims['m'])
        : false;
    if (!verified) {
      throw new DomainError('VERIFICATION_TOKEN_INVALID', 'The confirmation link is invalid or expired');
    }
  }
}
