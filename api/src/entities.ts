import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { ConversationEntity } from './conversations/conversation.entity';
import { MessageEntity } from './conversations/message.entity';
import { VisitorEntity } from './conversations/visitor.entity';
import { InvitationEntity } from './organizations/invitation.entity';
import { MembershipEntity } from './organizations/membership.entity';
import { OrganizationEntity } from './organizations/organization.entity';
import { SiteEntity } from './sites/site.entity';
import { UserEntity } from './users/user.entity';

/**
 * The tables that have TypeORM entities, each defined in its own module. The composition root hands
 * them to `openDatabase`: the database layer knows no feature.
 */
export const ENTITIES = [
  UserEntity,
  OrganizationEntity,
  MembershipEntity,
  InvitationEntity,
  RefreshTokenEntity,
  SiteEntity,
  VisitorEntity,
  ConversationEntity,
  MessageEntity,
];
