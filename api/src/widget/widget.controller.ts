import {
  API_PREFIX,
  type Message,
  type WidgetConfig,
  type WidgetConversation,
  type WidgetMessagesResponse,
  type WidgetSessionResponse,
} from '@cloop/contracts';
import { Body, Controller, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { VisitorScope, WidgetSiteScope } from '../access/access-policy';
import { SiteKeyAccess, VisitorAccess } from '../access/policies';
import { CurrentVisitor, CurrentWidgetSite } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
import { MessageDto, SendMessageDto } from '../conversations/dto/conversations.dto';
import {
  WidgetConfigDto,
  WidgetContactDto,
  WidgetConversationDto,
  WidgetMessagesQueryDto,
  WidgetMessagesResponseDto,
  WidgetSessionDto,
  WidgetSessionResponseDto,
} from './dto/widget.dto';
import { WidgetService } from './widget.service';

/** What the embedded widget calls, with `X-Cloop-Site-Key` (and `X-Cloop-Visitor`) from an allowed origin. */
@ApiTags('widget')
@Controller(`${API_PREFIX}/widget`)
export class WidgetController {
  constructor(private readonly widget: WidgetService) {}

  @Get('config')
  @SiteKeyAccess()
  @ApiOperation({ summary: 'Public widget settings, to draw the launcher before anyone is identified' })
  @ApiOkResponse({ type: WidgetConfigDto })
  config(@CurrentWidgetSite() site: WidgetSiteScope): WidgetConfig {
    return this.widget.config(site);
  }

  @Post('session')
  @VisitorAccess()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create or resume the visitor and their open conversation; returns history and settings',
  })
  @ApiOkResponse({ type: WidgetSessionResponseDto })
  session(
    @CurrentVisitor() visitor: VisitorScope,
    @Body() body: WidgetSessionDto,
    @Req() request: FastifyRequest,
  ): Promise<WidgetSessionResponse> {
    return this.widget.session(visitor, request.ip, body);
  }

  @Get('messages')
  @VisitorAccess()
  @ApiOperation({ summary: "Messages of the visitor's open conversation after a sequence number (catch-up)" })
  @ApiOkResponse({ type: WidgetMessagesResponseDto })
  messages(
    @CurrentVisitor() visitor: VisitorScope,
    @Query() query: WidgetMessagesQueryDto,
  ): Promise<WidgetMessagesResponse> {
    return this.widget.messagesAfter(visitor, query.after ?? 0);
  }

  @Post('messages')
  @VisitorAccess()
  @ApiOperation({
    summary: 'Send a message; the same id again returns the same message (200), never a duplicate',
  })
  @ApiCreatedResponse({ type: MessageDto, description: 'Stored (committed) before this response' })
  @ApiConflictResponse({
    description: 'MESSAGE_ID_CONFLICT: the id was used for another message',
    type: ErrorResponseDto,
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
  @ApiOperation({ summary: 'Leave an email: the conversation becomes a lead asking for contact' })
  @ApiOkResponse({ type: WidgetConversationDto })
  contact(
    @CurrentVisitor() visitor: VisitorScope,
    @Body() body: WidgetContactDto,
    @Req() request: FastifyRequest,
  ): Promise<WidgetConversation> {
    return this.widget.leaveContact(visitor, request.ip, body.email);
  }
}
