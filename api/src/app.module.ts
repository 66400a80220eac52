import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';

import { AccessGuard } from './authentication/access.guard';
import { AuthenticationModule } from './authentication/authentication.module';
import { AccessModule } from './access/access.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AssistantModule } from './assistant/assistant.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { PasswordResetModule } from './auth/password-reset/password-reset.module';
import { MailSettingsModule } from './mail-settings/mail-settings.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { ConfigModule, type ResolvedConfig } from './config/config.module';
import { ConversationsModule } from './conversations/conversations.module';
import type { OpenDatabase } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { MailDeliveryModule } from './mail/mail.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { EventBusModule } from './events/event-bus.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RetentionModule } from './retention/retention.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { SitesModule } from './sites/sites.module';
import { SsoModule } from './sso/sso.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WidgetModule } from './widget/widget.module';

export interface AppModuleOptions {
  config: ResolvedConfig;
  database: OpenDatabase;
}

@Module({})
export class AppModule {
  static forRoot({ config, database }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        LifecycleModule,
        SchedulingModule,
        HealthModule,
        RateLimitModule,
        AccessModule,
        AuthenticationModule,
        ApiKeysModule,
        AuditModule,
        AuthModule,
        PasswordResetModule,
        SsoModule,
        MailSettingsModule,
        MailDeliveryModule,
        OrganizationsModule,
        SitesModule,
        EventBusModule,
        ConversationsModule,
        KnowledgeModule,
        AssistantModule,
        WidgetModule,
        PrivacyModule,
        RetentionModule,
        WebhooksModule,
        RealtimeModule,
      ],
      providers: [
        // Order matters: rate limits first, so floods never reach token checks or password hashing.
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
