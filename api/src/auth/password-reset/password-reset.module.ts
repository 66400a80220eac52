import { Module } from '@nestjs/common';

import { AuditModule } from '../../audit/audit.module';
import { MailModule } from '../../mail/mail.module';
import { UsersModule } from '../../users/users.module';
import { AuthModule } from '../auth.module';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetsRepository } from './password-resets.repository';

@Module({
  imports: [AuditModule, AuthModule, MailModule, UsersModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetService, PasswordResetsRepository],
})
export class PasswordResetModule {}
