import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { SsoSecrets } from './sso-secrets';
import { SsoSettingsController } from './sso-settings.controller';
import { SsoSettingsService } from './sso-settings.service';
import { SsoSignInController } from './sso-sign-in.controller';
import { SsoSignInRules } from './sso-sign-in-rules';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoRepository } from './sso.repository';

/**
 * OpenID Connect single sign-on per organization: owners' settings, the sign-in flow, and the
 * rules it adds to password sign-in and refresh (through `SignInChecks`, the one sign-in path).
 */
@Module({
  imports: [AuditModule, AuthModule, UsersModule, OrganizationsModule],
  controllers: [SsoSettingsController, SsoSignInController],
  providers: [SsoRepository, SsoSecrets, SsoSettingsService, SsoSignInService, SsoSignInRules],
})
export class SsoModule {}
