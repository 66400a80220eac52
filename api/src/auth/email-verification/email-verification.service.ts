import { Inject, Injectable } from '@nestjs/common';

import type { Principal } from '../../access/access-policy';
import { DomainError } from '../../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../../config/config.module';
import { consoleLink } from '../../mail/console-links';
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
  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly mailer: Mailer,
    private readonly links: SignedLinks,
    private readonly users: UsersService,
  ) {}

  /** Queues the link for an unproven account; nothing when e-mail is off or it is proven. */
  sendFor(user: Pick<UserRecord, 'id' | 'email' | 'name' | 'locale' | 'emailVerifiedAt'>): void {
    if (!this.mailer.enabled || user.emailVerifiedAt !== null) return;
    const token = this.links.sign(PURPOSE, { u: user.id, m: user.email }, new Date(Date.now() + TTL_MS));
    this.mailer.send(user.email, user.locale, {
      kind: 'verify-email',
      name: user.name,
      link: consoleLink(this.config.publicUrl, 'verify-email', token),
    });
  }

  async resend(principal: Principal): Promise<void> {
    if (!this.mailer.enabled) throw new DomainError('MAIL_DISABLED', 'This server sends no e-mail');
    const user = await this.users.findById(principal.userId);
    if (user) this.sendFor(user);
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
