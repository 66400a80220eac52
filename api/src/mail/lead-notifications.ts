import { Inject, Injectable, Logger } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { consoleLink } from './console-links';
import { LeadRecipientsRepository } from './lead-recipients.repository';
import { Mailer } from './mailer';

/**
 * Tells a site's team by e-mail that a visitor asked for contact or left an address. Called after
 * the change commits, by the process that made it (never for events from other replicas), so each
 * lead is announced once. The visitor's address is not in the message: the team reads it in the
 * console, where access is checked.
 */
@Injectable()
export class LeadNotifications {
  private readonly logger = new Logger('LeadNotifications');

  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly mailer: Mailer,
    private readonly recipients: LeadRecipientsRepository,
  ) {}

  /** Never throws and never waits for SMTP (the message is only queued in the outbox): the visitor's request must not depend on e-mail. */
  async leadCaptured(siteId: string, conversationId: string, reason: 'contact' | 'email'): Promise<void> {
    if (!this.mailer.enabled) return;
    try {
      const found = await this.recipients.forSite(siteId);
      if (!found) return;
      const link = consoleLink(this.config.publicUrl, `inbox/${conversationId}`);
      const preferencesLink = consoleLink(this.config.publicUrl, 'account');
      for (const recipient of found.recipients) {
        await this.mailer.send(recipient.email, recipient.locale, {
          kind: 'lead',
          siteName: found.siteName,
          reason,
          link,
          preferencesLink,
        });
      }
    } catch (error) {
      this.logger.error(
        `could not queue lead notifications: ${error instanceof Error ? error.name : 'error'}`,
      );
    }
  }
}
