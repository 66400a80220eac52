import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { SitesController } from './sites.controller';
import { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule, AccessModule],
  controllers: [SitesController],
  providers: [SitesService, SitesRepository],
})
export class SitesModule {}
