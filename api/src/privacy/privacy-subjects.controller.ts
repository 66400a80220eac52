import { API_PREFIX, type PrivacyConversationSubject } from '@cloop/contracts';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite } from '../access/scopes.decorator';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import { PrivacyConversationSubjectDto } from './dto/privacy.dto';
import { PrivacySubjectsService } from './privacy-subjects.service';

/** Who a conversation's visitor is, so an export or erasure can start from the inbox. */
@ApiTags('privacy')
@Controller(`${API_PREFIX}/sites/:siteId/privacy/conversations`)
export class PrivacySubjectsController {
  constructor(private readonly subjects: PrivacySubjectsService) {}

  @Get(':conversationId/subject')
  @SiteAccess('admin', 'privacy:read')
  @Endpoint({
    summary: "The visitor UUID and email of a conversation's visitor, to export or erase their data",
    description:
      'Admins and owners only, as exports and erasures are: the UUID is the `visitorId` those take ' +
      "(the one the widget keeps in the visitor's browser).",
    ok: { type: PrivacyConversationSubjectDto, description: "The conversation's visitor" },
    errors: { CONVERSATION_NOT_FOUND: 'No such conversation on this site' },
    invalid: '`conversationId` is not a UUID',
  })
  subject(
    @CurrentSite() scope: SiteScope,
    @UuidParam('conversationId') conversationId: string,
  ): Promise<PrivacyConversationSubject> {
    return this.subjects.ofConversation(scope, conversationId);
  }
}
