import { Module } from '@nestjs/common';

import { AuditKeys } from './audit-keys';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** The audit trail: every module that changes something worth auditing imports it and records. */
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditRepository, AuditKeys],
  exports: [AuditService],
})
export class AuditModule {}
