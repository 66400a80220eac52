import { Module } from '@nestjs/common';

import { MailModule } from '../../mail/mail.module';
import { UsersModule } from '../../users/users.module';
import { EmailVerificationController } from './email-verification.controller';
import { EmailVerificationService } from './email-verification.service';

@Module({
  imports: [MailModule, UsersModule],
  controllers: [EmailVerificationController],
  providers: [EmailVerificationService],
  exports: [EmailVerificationService],
})
export class EmailVerificationModule {}
