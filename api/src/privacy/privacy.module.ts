import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { AccountController } from './account.controller';
import { AccountPrivacyService } from './account-privacy.service';
import { AccountRepository } from './account.repository';
import { PrivacyController } from './privacy.controller';
import { PrivacyExportRepository } from './privacy-export.repository';
import { PrivacyRepository } from './privacy.repository';
import { PrivacySubjectsController } from './privacy-subjects.controller';
import { PrivacySubjectsRepository } from './privacy-subjects.repository';
import { PrivacySubjectsService } from './privacy-subjects.service';
import { PrivacyService } from './privacy.service';
import { SiteExportService } from './site-export.service';
import { SubjectHasher } from './subject-hash';
import { WidgetPrivacyController } from './widget-privacy.controller';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule, AccessModule, AuthModule, ConversationsModule, WebhookOutboxModule],
  controllers: [PrivacyController, PrivacySubjectsController, WidgetPrivacyController, AccountController],
  providers: [
    PrivacyService,
    SiteExportService,
    PrivacySubjectsService,
    AccountPrivacyService,
    PrivacyRepository,
    PrivacyExportRepository,
    PrivacySubjectsRepository,
    AccountRepository,
    SubjectHasher,
  ],
})
export class PrivacyModule {}
