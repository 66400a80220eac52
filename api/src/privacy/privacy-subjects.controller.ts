import { API_PREFIX, type PrivacyConversationSubject } from '@cloop/contracts';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite } from '../access/scopes.decorator';
import { uuidParam } from '../common/uuid-param.pipe';
import { ApiErrors, ApiInvalidInput } from '../openapi/api-errors';
import { ApiUuidParam } from '../openapi/api-params';
import { PrivacyConversationSubjectDto } from './dto/privacy.dto';
import { PrivacySubjectsService } from './privacy-subjects.service';

/** Who a conversation's visitor is, so an export or erasure can start from the inbox. */
@ApiTags('privacy')
@Controller(`${API_PREFIX}/sites/:siteId/privacy/conversations`)
export class PrivacySubjectsController {
  constructor(private readonly subjects: PrivacySubjectsService) {}

  @Get(':conversationId/subject')
  @SiteAccess('admin', 'privacy:read')
  @ApiOperation({
    summary: "The visitor UUID and email of a conversation's visitor, to export or erase their data",
    description:
      'Admins and owners only, as exports and erasures are: the UUID is the `visitorId` those take ' +
      "(the one the widget keeps in the visitor's browser).",
  })
  @ApiOkResponse({ type: PrivacyConversationSubjectDto, description: "The conversation's visitor" })
  @ApiErrors({ CONVERSATION_NOT_FOUND: 'No such conversation on this site' })
  @ApiInvalidInput('`conversationId` is not a UUID')
  @ApiUuidParam('conversationId')
  subject(
    @CurrentSite() scope: SiteScope,
    @Param('conversationId', uuidParam) conversationId: string,
  ): Promise<PrivacyConversationSubject> {
    return this.subjects.ofConversation(scope, conversationId);
  }
}
