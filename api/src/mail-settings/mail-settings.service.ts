import type { MailPreferences, MailStatus } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { Principal } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { UsersService } from '../users/users.service';
import { Mailer } from '../mail/mailer';

/** What the console reads and sets about e-mail: whether it is on, and the user's preferences. */
@Injectable()
export class MailSettingsService {
  constructor(
    private readonly mailer: Mailer,
    private readonly users: UsersService,
  ) {}

  status(): MailStatus {
    return { enabled: this.mailer.enabled };
  }

  async preferences(principal: Principal): Promise<MailPreferences> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Not signed in');
    return { leadNotifications: user.leadNotifications, locale: user.locale };
  }

  async updatePreferences(principal: Principal, preferences: MailPreferences): Promise<MailPreferences> {
    await this.users.updateMailPreferences(principal.userId, {
      leadNotifications: preferences.leadNotifications,
      locale: preferences.locale,
    });
    return this.preferences(principal);
  }
}
