import { Module } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { UsersModule } from '../users/users.module';
import { LeadNotifications } from './lead-notifications';
import { LeadRecipientsRepository } from './lead-recipients.repository';
import { MailController } from './mail.controller';
import { MailService } from './mail.service';
import { Mailer } from './mailer';
import { SignedLinks } from './signed-links';

@Module({
  imports: [UsersModule],
  controllers: [MailController],
  providers: [
    Mailer,
    MailService,
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
