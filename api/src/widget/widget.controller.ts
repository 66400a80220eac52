import {
  API_PREFIX,
  type Message,
  type WidgetConfig,
  type WidgetConversation,
  type WidgetMessagesResponse,
  type WidgetSessionResponse,
  type WidgetUnreadResponse,
} from '@cloop/contracts';
import { Body, Controller, Get, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { VisitorScope, WidgetSiteScope } from '../access/access-policy';
import { SiteKeyAccess, VisitorAccess } from '../access/policies';
import { CurrentVisitor, CurrentWidgetSite } from '../access/scopes.decorator';
import { MessageDto, SendMessageDto } from '../conversations/dto/conversations.dto';
import { Endpoint } from '../openapi/endpoint';
import {
  WidgetConfigDto,
  WidgetContactDto,
  WidgetConversationDto,
  WidgetMessagesQueryDto,
  WidgetMessagesResponseDto,
  WidgetSeenDto,
  WidgetSessionDto,
  WidgetSessionResponseDto,
  WidgetUnreadResponseDto,
} from './dto/widget.dto';
import { WidgetService } from './widget.service';

/** What the embedded widget calls, with `X-Cloop-Site-Key` (and `X-Cloop-Visitor`) from an allowed origin. */
@ApiTags('widget')
@Controller(`${API_PREFIX}/widget`)
export class WidgetController {
  constructor(private readonly widget: WidgetService) {}

  @Get('config')
  @SiteKeyAccess()
  @Endpoint({
    summary: 'Public widget settings, to draw the launcher before anyone is identified',
    description: 'Needs only the site key: nothing about the visitor is sent or stored before they interact.',
    ok: { type: WidgetConfigDto, description: 'Colours, texts and whether to ask for an email' },
  })
  config(@CurrentWidgetSite() site: WidgetSiteScope): WidgetConfig {
    return this.widget.config(site);
  }

  @Post('session')
  @VisitorAccess()
  @Endpoint({
    summary: 'Create or resume the visitor and their open conversation; returns history and settings',
    description:
      'The first call with a new `X-Cloop-Visitor` creates the visitor record; later calls resume ' +
      'the open conversation with its latest 200 messages.',
    ok: { type: WidgetSessionResponseDto, description: 'The conversation, its messages and settings' },
    invalid: '`entryUrl` or `locale` is not valid',
  })
  session(
    @CurrentVisitor() visitor: VisitorScope,
    @Body() body: WidgetSessionDto,
    @Req() request: FastifyRequest,
  ): Promise<WidgetSessionResponse> {
    return this.widget.session(visitor, request.ip, body);
  }

  @Get('unread')
  @VisitorAccess()
  @Endpoint({
    summary: "What the visitor has not read in their open conversation (the closed launcher's badge)",
    description:
      'Read-only: creates no visitor and no conversation. A visitor the site does not know, or one ' +
      'without an open conversation, gets a count of 0. Counts assistant and team replies after ' +
      'the `seq` the visitor has seen (`PUT …/seen`).',
    ok: { type: WidgetUnreadResponseDto, description: 'The unread count and the latest reply' },
  })
  unread(@CurrentVisitor() visitor: VisitorScope): Promise<WidgetUnreadResponse> {
    return this.widget.unread(visitor);
  }

  @Get('messages')
  @VisitorAccess()
  @Endpoint({
    summary: "Messages of the visitor's open conversation after a sequence number (catch-up)",
    description: 'What the widget asks after a reconnect: every message with `seq` greater than `after`.',
    ok: { type: WidgetMessagesResponseDto, description: 'The messages, oldest first' },
    invalid: '`after` is not a non-negative integer',
  })
  messages(
    @CurrentVisitor() visitor: VisitorScope,
    @Query() query: WidgetMessagesQueryDto,
  ): Promise<WidgetMessagesResponse> {
    return this.widget.messagesAfter(visitor, query.after ?? 0);
  }

  @Post('messages')
  @VisitorAccess()
  @Endpoint({
    summary: 'Send a message; the same id again returns the same message (200), never a duplicate',
    description:
      "The assistant's answer arrives over the realtime connection (or `GET …/messages?after=`), " +
      'not in this response.',
    created: { type: MessageDto, description: 'Stored (committed) before this response' },
    ok: { type: MessageDto, description: 'The id was seen before: the message stored then' },
    errors: {
      MESSAGE_ID_CONFLICT: 'The id was used for another message',
      RATE_LIMITED: 'Too many messages from this visitor; wait for `Retry-After` seconds',
    },
    invalid: '`id` is not a UUID, or `body` is blank or too long',
  })
  async send(
    @CurrentVisitor() visitor: VisitorScope,
    @Body() body: SendMessageDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Message> {
    const { message, created } = await this.widget.send(visitor, request.ip, body);
    void reply.status(created ? 201 : 200);
    return message;
  }

  @Put('contact')
  @VisitorAccess()
  @Endpoint({
    summary: 'Leave an email: the conversation becomes a lead asking for contact',
    description:
      'The conversation moves to the `requesting_contact` phase and shows as a new lead in the inbox.',
    ok: { type: WidgetConversationDto, description: 'The conversation with its email' },
    invalid: '`email` is not an email address',
  })
  contact(
    @CurrentVisitor() visitor: VisitorScope,
    @Body() body: WidgetContactDto,
    @Req() request: FastifyRequest,
  ): Promise<WidgetConversation> {
    return this.widget.leaveContact(visitor, request.ip, body.email);
  }

  @Put('seen')
  @VisitorAccess()
  @Endpoint({
    summary: 'The visitor has seen their conversation up to a sequence number',
    description:
      'Kept on the conversation so the widget knows what is unread after a page load, with nothing ' +
      'in browser storage. Only moves forward, and never past the last message.',
    noContent: 'Recorded',
    errors: { CONVERSATION_NOT_FOUND: "Not one of this visitor's conversations" },
    invalid: '`conversationId` is not a UUID, or `seq` is not a non-negative integer',
  })
  seen(@CurrentVisitor() visitor: VisitorScope, @Body() body: WidgetSeenDto): Promise<void> {
    return this.widget.markSeen(visitor, body);
  }
}
