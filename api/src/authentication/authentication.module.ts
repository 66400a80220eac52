import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuthModule } from '../auth/auth.module';
import { AccessGuard } from './access.guard';
import { AppPassport } from './app-passport';

/**
 * The one global guard and the app's Passport instance, above every module that brings a
 * strategy: the widget's (`access`), the console's (`auth`) and the integrators' (`api-keys`).
 */
@Module({
  imports: [AccessModule, AuthModule, ApiKeysModule],
  providers: [AppPassport, AccessGuard],
  exports: [AccessGuard],
})
export class AuthenticationModule {}
