import type { PrivacyConversationSubject } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { SiteScope } from '../access/access-policy';
import { DomainError } from '../common/domain-error';
import { PrivacySubjectsRepository } from './privacy-subjects.repository';

/**
 * Names the subject of a privacy request from where the team works: a conversation. The inbox
 * shows visitors by a record id, while exports and erasures take the widget's visitor UUID.
 */
@Injectable()
export class PrivacySubjectsService {
  constructor(private readonly subjects: PrivacySubjectsRepository) {}

  async ofConversation(scope: SiteScope, conversationId: string): Promise<PrivacyConversationSubject> {
    const row = await this.subjects.ofConversation(scope.siteId, conversationId);
    if (!row) throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
    return { conversationId, visitorId: row.visitor_uuid, email: row.email };
  }
}
