import {
  EMAIL_MAX_LENGTH,
  ENTRY_URL_MAX_LENGTH,
  type Message,
  MESSAGE_AUTHORS,
  MESSAGE_PREVIEW_LENGTH,
  type MessageAuthor,
  PHASES,
  type Phase,
  CONVERSATION_STATUSES,
  type ConversationStatus,
  type WidgetConfig,
  type WidgetContactRequest,
  type WidgetConversation,
  type WidgetMessagesResponse,
  type WidgetSeenRequest,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
  type WidgetUnreadReply,
  type WidgetUnreadResponse,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsByteLength,
  IsEmail,
  IsInt,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { IsOptionalNotNull } from '../../common/validation';
import { MAX_SEQ } from '../../conversations/seq';
import { MessageDto } from '../../conversations/dto/conversations.dto';
import { WidgetSettingsDto } from '../../sites/dto/sites.dto';
import { EXAMPLE } from '../../openapi/example-values';

export class WidgetSessionDto implements WidgetSessionRequest {
  @ApiProperty({ example: 'https://www.example.com/pricing', maxLength: ENTRY_URL_MAX_LENGTH })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(ENTRY_URL_MAX_LENGTH)
  @IsByteLength(0, ENTRY_URL_MAX_LENGTH, {
    message: `entryUrl must be at most ${ENTRY_URL_MAX_LENGTH} bytes`,
  })
  entryUrl: string;

  @ApiPropertyOptional({ example: 'fi-FI', description: "The browser's language (BCP 47)" })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, {
    message: 'locale must be a language tag such as en or fi-FI',
  })
  locale?: string;
}

export class WidgetMessagesQueryDto {
  @ApiPropertyOptional({ example: 3, minimum: 0, default: 0, description: 'The last `seq` the widget has' })
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  after?: number;
}

export class WidgetContactDto implements WidgetContactRequest {
  @ApiProperty({ example: 'visitor@example.com' })
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;
}

export class WidgetConfigDto implements WidgetConfig {
  @ApiProperty({ type: WidgetSettingsDto })
  widget: WidgetSettingsDto;

  @ApiProperty({ example: true })
  leadCapture: boolean;
}

export class WidgetConversationDto implements WidgetConversation {
  @ApiProperty({ example: EXAMPLE.conversationId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'learning', enum: PHASES })
  phase: Phase;

  @ApiProperty({ example: 'open', enum: CONVERSATION_STATUSES })
  status: ConversationStatus;

  @ApiProperty({ example: null, type: String, nullable: true })
  email: string | null;

  @ApiProperty({ example: 4 })
  lastSeq: number;
}

export class WidgetSessionResponseDto implements WidgetSessionResponse {
  @ApiProperty({ type: WidgetConversationDto })
  conversation: WidgetConversationDto;

  @ApiProperty({ type: [MessageDto], description: 'The latest 200 messages, oldest first' })
  messages: Message[];

  @ApiProperty({ type: WidgetConfigDto })
  config: WidgetConfigDto;

  @ApiProperty({
    example: 3,
    description: 'The highest `seq` the visitor has seen: later replies are unread',
  })
  seenSeq: number;
}

export class WidgetSeenDto implements WidgetSeenRequest {
  @ApiProperty({ example: EXAMPLE.conversationId, format: 'uuid' })
  @IsUUID()
  conversationId: string;

  @ApiProperty({
    example: 4,
    minimum: 0,
    description: 'Seen up to this `seq`; a lower value than before changes nothing',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  seq: number;
}

export class WidgetMessagesResponseDto implements WidgetMessagesResponse {
  @ApiProperty({ type: [MessageDto] })
  items: Message[];
}

export class WidgetUnreadReplyDto implements WidgetUnreadReply {
  @ApiProperty({ example: EXAMPLE.conversationId, format: 'uuid' })
  conversationId: string;

  @ApiProperty({ example: 4 })
  seq: number;

  @ApiProperty({ example: 'agent', enum: MESSAGE_AUTHORS.filter((author) => author !== 'visitor') })
  author: Exclude<MessageAuthor, 'visitor'>;

  @ApiProperty({ example: 'Sam', type: String, nullable: true, description: "The agent's display name" })
  authorName: string | null;

  @ApiProperty({
    example: 'Hi, this is Sam from the team: which order is it about?',
    maxLength: MESSAGE_PREVIEW_LENGTH,
    description: 'The start of the message. Plain text: render as text, never as HTML',
  })
  body: string;
}

export class WidgetUnreadResponseDto implements WidgetUnreadResponse {
  @ApiProperty({
    example: 1,
    minimum: 0,
    description: "Replies in the visitor's open conversation after the `seq` they have seen",
  })
  count: number;

  @ApiProperty({
    type: WidgetUnreadReplyDto,
    nullable: true,
    description: 'The latest unread reply; `null` when nothing is unread',
  })
  latest: WidgetUnreadReplyDto | null;
}
