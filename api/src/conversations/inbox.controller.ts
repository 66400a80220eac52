import { API_PREFIX, type Conversation, type Message, type Page, type Transcript } from '@cloop/contracts';
import { Body, Controller, Delete, Get, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import type { Principal, SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import type { RouteErrors } from '../openapi/api-errors';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import {
  ConversationDto,
  ConversationListQueryDto,
  ConversationPageDto,
  ConversationSeenDto,
  MessageDto,
  SendMessageDto,
  TranscriptDto,
  UpdateConversationDto,
} from './dto/conversations.dto';
import { InboxService } from './inbox.service';

const invalid = 'The body, query or `conversationId` is not valid';
const notFound: RouteErrors = { CONVERSATION_NOT_FOUND: 'No such conversation on this site' };

@ApiTags('inbox')
@Controller(`${API_PREFIX}/sites/:siteId/conversations`)
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @SiteAccess('member', 'conversations:read')
  @Endpoint({
    summary: "The site's conversations, latest activity first, with filters",
    description:
      'Filter by `phase`, `lead` (has an email or not), words or an email in `q`, and a `from`/`to` ' +
      'period of last activity. Keyset-paginated: pass `nextCursor` back as `cursor`.',
    ok: { type: ConversationPageDto, description: 'A page of conversations' },
    invalid,
  })
  list(
    @CurrentSite() scope: SiteScope,
    @Query() query: ConversationListQueryDto,
  ): Promise<Page<Conversation>> {
    return this.inbox.list(scope, query);
  }

  @Get(':conversationId')
  @SiteAccess('member', 'conversations:read')
  @Endpoint({
    summary: 'One conversation with its transcript (the latest 1000 messages)',
    description:
      'Messages oldest first, with their sequence numbers; any member of the organization may read.',
    ok: { type: TranscriptDto, description: 'The conversation and its messages' },
    errors: notFound,
    invalid,
  })
  transcript(
    @CurrentSite() scope: SiteScope,
    @UuidParam('conversationId') conversationId: string,
  ): Promise<Transcript> {
    return this.inbox.transcript(scope, conversationId);
  }

  @Patch(':conversationId')
  @SiteAccess('member', 'conversations:write')
  @Endpoint({
    summary: 'Change the phase, status or lead status',
    description:
      'Only the fields sent change. Reopening a conversation while the visitor has another open one is refused.',
    ok: { type: ConversationDto, description: 'The conversation as changed' },
    errors: {
      ...notFound,
      CONVERSATION_ALREADY_OPEN: 'Reopening it, while the visitor has another open conversation',
    },
    invalid,
  })
  update(
    @CurrentSite() scope: SiteScope,
    @UuidParam('conversationId') conversationId: string,
    @Body() body: UpdateConversationDto,
  ): Promise<Conversation> {
    return this.inbox.update(scope, conversationId, body);
  }

  @Put(':conversationId/seen')
  @SiteAccess('member', 'conversations:write')
  @Endpoint({
    summary: 'The team has read the conversation up to a sequence number',
    description:
      'One read position for the whole team: the inbox shows the conversation as unread while ' +
      "`lastSeq` is past it. Only moves forward, and never past the last message; the team's " +
      'other inboxes hear of it through the realtime connection, the visitor does not.',
    ok: { type: ConversationDto, description: 'The conversation, with its `teamSeenSeq`' },
    errors: notFound,
    invalid: '`conversationId` is not a UUID, or `seq` is not a non-negative integer',
  })
  seen(
    @CurrentSite() scope: SiteScope,
    @UuidParam('conversationId') conversationId: string,
    @Body() body: ConversationSeenDto,
  ): Promise<Conversation> {
    return this.inbox.markSeen(scope, conversationId, body);
  }

  @Delete(':conversationId')
  @SiteAccess('admin', 'conversations:write')
  @Endpoint({
    summary: 'Delete the conversation and its messages (e.g. one holding sensitive data)',
    description:
      'Admins and owners only; recorded in the audit trail. The visitor keeps any other conversation.',
    noContent: 'Deleted',
    errors: notFound,
    invalid,
  })
  async delete(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @UuidParam('conversationId') conversationId: string,
  ) {
    await this.inbox.delete(scope, actor, conversationId);
  }

  @Post(':conversationId/messages')
  @SiteAccess('member', 'conversations:write')
  @Endpoint({
    summary: 'Reply as a person; sending the same id again returns the same message (200)',
    description:
      'The client generates the message `id` (a UUID), so a retry after a lost answer never posts ' +
      'twice. The visitor receives the reply through the realtime connection.',
    created: { type: MessageDto, description: 'Stored' },
    ok: { type: MessageDto, description: 'The id was seen before: the message stored then' },
    errors: { ...notFound, MESSAGE_ID_CONFLICT: 'The id was used for another message' },
    invalid,
  })
  async reply(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() agent: Principal,
    @UuidParam('conversationId') conversationId: string,
    @Body() body: SendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Message> {
    const { message, created } = await this.inbox.reply(scope, agent, conversationId, body);
    void reply.status(created ? 201 : 200);
    return message;
  }
}
