import { Module } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { LeadNotifications } from './lead-notifications';
import { LeadRecipientsRepository } from './lead-recipients.repository';
import { Mailer } from './mailer';
import { SignedLinks } from './signed-links';

@Module({
  providers: [
    Mailer,
    LeadNotifications,
    LeadRecipientsRepository,
    {
      provide: SignedLinks,
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig) => new SignedLinks(config.jwtSecret),
    },
  ],
  exports: [Mailer, SignedLinks, LeadNotifications],
})
export class MailModule {}
