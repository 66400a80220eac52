import { Module } from '@nestjs/common';

import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { MailSettingsController } from './mail-settings.controller';
import { MailSettingsService } from './mail-settings.service';

/**
 * The console's e-mail routes, apart from `mail/` itself: they need the access policies, and
 * `mail/` must not (auth uses it, and access uses auth).
 */
@Module({
  imports: [MailModule, UsersModule],
  controllers: [MailSettingsController],
  providers: [MailSettingsService],
})
export class MailSettingsModule {}
