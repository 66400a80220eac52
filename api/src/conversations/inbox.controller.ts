import { API_PREFIX, type Conversation, type Message, type Page, type Transcript } from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import type { Principal, SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
import { uuidParam } from '../common/uuid-param.pipe';
import {
  ConversationDto,
  ConversationListQueryDto,
  ConversationPageDto,
  MessageDto,
  SendMessageDto,
  TranscriptDto,
  UpdateConversationDto,
} from './dto/conversations.dto';
import { InboxService } from './inbox.service';

const invalid = ApiBadRequestResponse({
  description: 'Invalid body, query or parameter',
  type: ErrorResponseDto,
});
const notFound = ApiNotFoundResponse({
  description: 'CONVERSATION_NOT_FOUND (or SITE_NOT_FOUND)',
  type: ErrorResponseDto,
});

@ApiTags('inbox')
@Controller(`${API_PREFIX}/sites/:siteId/conversations`)
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @SiteAccess('member')
  @ApiOperation({ summary: "The site's conversations, latest activity first, with filters" })
  @ApiOkResponse({ type: ConversationPageDto })
  @invalid
  list(
    @CurrentSite() scope: SiteScope,
    @Query() query: ConversationListQueryDto,
  ): Promise<Page<Conversation>> {
    return this.inbox.list(scope, query);
  }

  @Get(':conversationId')
  @SiteAccess('member')
  @ApiOperation({ summary: 'One conversation with its transcript (the latest 1000 messages)' })
  @ApiOkResponse({ type: TranscriptDto })
  @notFound
  transcript(
    @CurrentSite() scope: SiteScope,
    @Param('conversationId', uuidParam) conversationId: string,
  ): Promise<Transcript> {
    return this.inbox.transcript(scope, conversationId);
  }

  @Patch(':conversationId')
  @SiteAccess('member')
  @ApiOperation({ summary: 'Change the phase, status or lead status' })
  @ApiOkResponse({ type: ConversationDto })
  @notFound
  @invalid
  update(
    @CurrentSite() scope: SiteScope,
    @Param('conversationId', uuidParam) conversationId: string,
    @Body() body: UpdateConversationDto,
  ): Promise<Conversation> {
    return this.inbox.update(scope, conversationId, body);
  }

  @Delete(':conversationId')
  @SiteAccess('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the conversation and its messages (e.g. one holding sensitive data)' })
  @ApiNoContentResponse()
  @notFound
  async delete(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Param('conversationId', uuidParam) conversationId: string,
  ) {
    await this.inbox.delete(scope, actor, conversationId);
  }

  @Post(':conversationId/messages')
  @SiteAccess('member')
  @ApiOperation({ summary: 'Reply as a person; sending the same id again returns the same message (200)' })
  @ApiCreatedResponse({
    type: MessageDto,
    description: 'Stored; 200 with the same body when the id was seen before',
  })
  @ApiConflictResponse({
    description: 'MESSAGE_ID_CONFLICT: the id was used for another message',
    type: ErrorResponseDto,
  })
  @notFound
  @invalid
  async reply(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() agent: Principal,
    @Param('conversationId', uuidParam) conversationId: string,
    @Body() body: SendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Message> {
    const { message, created } = await this.inbox.reply(scope, agent, conversationId, body);
    void reply.status(created ? 201 : 200);
    return message;
  }
}
