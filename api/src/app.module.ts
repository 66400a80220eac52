import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';

import { AccessGuard } from './access/access.guard';
import { AccessModule } from './access/access.module';
import { AssistantModule } from './assistant/assistant.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { PasswordResetModule } from './auth/password-reset/password-reset.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { ConfigModule, type ResolvedConfig } from './config/config.module';
import { ConversationsModule } from './conversations/conversations.module';
import type { OpenDatabase } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { EventBusModule } from './realtime/event-bus.module';
import { RealtimeModule, type RealtimeOptions } from './realtime/realtime.module';
import type { RateLimitSettings } from './rate-limit/rate-limits';
import { RetentionModule } from './retention/retention.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import type { RetentionSchedule } from './retention/retention.scheduler';
import { SitesModule } from './sites/sites.module';
import type { WebhookDeliverySettings } from './webhooks/webhook-delivery.worker';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WidgetModule } from './widget/widget.module';

export interface AppModuleOptions {
  config: ResolvedConfig;
  database: OpenDatabase;
  rateLimits: RateLimitSettings;
  realtime: RealtimeOptions;
  retentionSchedule: RetentionSchedule | null;
  webhookDelivery: WebhookDeliverySettings | null;
}

@Module({})
export class AppModule {
  static forRoot({
    config,
    database,
    rateLimits,
    realtime,
    retentionSchedule,
    webhookDelivery,
  }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        LifecycleModule,
        SchedulingModule,
        HealthModule,
        RateLimitModule.forRoot(rateLimits),
        AccessModule,
        AuditModule,
        AuthModule,
        PasswordResetModule,
        OrganizationsModule,
        SitesModule,
        EventBusModule,
        ConversationsModule,
        KnowledgeModule,
        AssistantModule,
        WidgetModule,
        PrivacyModule,
        RetentionModule.forRoot(retentionSchedule),
        WebhooksModule.forRoot(webhookDelivery),
        RealtimeModule.forRoot(realtime),
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
