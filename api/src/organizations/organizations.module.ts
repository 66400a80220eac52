import { Module } from '@nestjs/common';

import { AccessCacheModule } from '../access/access-cache.module';
import { UsersModule } from '../users/users.module';
import { InvitationsRepository } from './invitations.repository';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MembershipsRepository } from './memberships.repository';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsService } from './organizations.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule, UsersModule, AccessCacheModule],
  controllers: [MembersController, OrganizationsController],
  providers: [
    MembersService,
    OrganizationsService,
    MembershipsRepository,
    InvitationsRepository,
    OrganizationsRepository,
  ],
  exports: [MembershipsRepository, InvitationsRepository, OrganizationsRepository],
})
export class OrganizationsModule {}
