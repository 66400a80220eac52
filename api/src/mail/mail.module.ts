import { Module } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { LeadNotifications } from './lead-notifications';
import { LeadRecipientsRepository } from './lead-recipients.repository';
import { MailBudget } from './mail-budget';
import { MailDeliveryWorker } from './mail-delivery.worker';
import { MailEnvelopes } from './mail-envelopes';
import { MailOutboxRepository } from './mail-outbox.repository';
import { Mailer } from './mailer';
import { SignedLinks } from './signed-links';

/** Queues mail; {@link MailDeliveryModule} sends it, in the server process only. */
@Module({
  imports: [RateLimitModule],
  providers: [
    Mailer,
    MailBudget,
    MailEnvelopes,
    MailOutboxRepository,
    LeadNotifications,
    LeadRecipientsRepository,
    {
      provide: SignedLinks,
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig) => new SignedLinks(config.jwtSecret),
    },
  ],
  exports: [Mailer, MailBudget, MailEnvelopes, SignedLinks, LeadNotifications],
})
export class MailModule {}

/**
 * The outbox's sender: imported by the server, not by the command line, which only queues. It
 * provides its own (stateless) outbox repository rather than have the mail module export one.
 */
@Module({
  imports: [MailModule],
  providers: [MailDeliveryWorker, MailOutboxRepository],
})
export class MailDeliveryModule {}
