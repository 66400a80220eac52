import { Module } from '@nestjs/common';

import { AccessCacheModule } from '../access/access-cache.module';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { AccountOrganizations } from './account-organizations';
import { InvitationLinks } from './invitation-links';
import { InvitationsRepository } from './invitations.repository';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MembershipsRepository } from './memberships.repository';
import { MyInvitationsController } from './my-invitations.controller';
import { MyInvitationsService } from './my-invitations.service';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsService } from './organizations.service';
import { AuditModule } from '../audit/audit.module';

@Module({
  imports: [AuditModule, UsersModule, AccessCacheModule, MailModule],
  controllers: [MembersController, OrganizationsController, MyInvitationsController],
  providers: [
    AccountOrganizations,
    MembersService,
    MyInvitationsService,
    InvitationLinks,
    OrganizationsService,
    MembershipsRepository,
    InvitationsRepository,
    OrganizationsRepository,
  ],
  exports: [AccountOrganizations, InvitationLinks],
})
export class OrganizationsModule {}
