import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { AccessGuard } from './access.guard';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';

@Module({
  imports: [AuthModule],
  providers: [AccessRepository, AccessService, AccessGuard],
  exports: [AccessService, AccessGuard],
})
export class AccessModule {}
