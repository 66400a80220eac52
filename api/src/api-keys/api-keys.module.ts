import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { ApiKeySecrets } from './api-key-secrets';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

/**
 * Organization API keys: the routes that manage them, and the Passport strategy that accepts them
 * (registered by `AccessModule` beside the console's, so the same guard and policies decide).
 */
@Module({
  imports: [AuditModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService, ApiKeysRepository, ApiKeySecrets, ApiKeyStrategy],
  exports: [ApiKeyStrategy, ApiKeysService],
})
export class ApiKeysModule {}
