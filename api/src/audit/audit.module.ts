import { Global, Module } from '@nestjs/common';

import { AuditKeys } from './audit-keys';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** Global: every module that changes something worth auditing records it. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditRepository, AuditKeys],
  exports: [AuditService],
})
export class AuditModule {}
