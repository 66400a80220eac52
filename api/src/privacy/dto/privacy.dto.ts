import {
  type DeleteAccountRequest,
  EMAIL_MAX_LENGTH,
  type ErasureResult,
  type Page,
  PRIVACY_REQUEST_KINDS,
  PRIVACY_SUBJECT_KINDS,
  type PrivacyExport,
  type PrivacyConversationSubject,
  type PrivacyProcessingFacts,
  type PrivacyRequest,
  type PrivacySubjectRequest,
  SITE_EXPORT_FORMAT,
  type SiteExportQuery,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { IsOptionalNotNull } from '../../common/validation';
import { EXAMPLE } from '../../openapi/example-values';

export class PrivacySubjectDto implements PrivacySubjectRequest {
  @ApiPropertyOptional({
    example: EXAMPLE.visitorUuid,
    format: 'uuid',
    description: "The visitor UUID the widget keeps in the visitor's browser. Send this or `email`.",
  })
  @IsOptionalNotNull()
  @IsUUID()
  visitorId?: string;

  @ApiPropertyOptional({
    example: 'ada@example.com',
    description:
      'An email the visitor left in a conversation: every visitor record that left it. Send this or `visitorId`.',
  })
  @IsOptionalNotNull()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;
}

class ControllerDto {
  @ApiProperty({ example: 'Acme Ltd' })
  organization: string;

  @ApiProperty({ type: String, nullable: true, example: 'acme.example' })
  site: string | null;
}

class RecipientDto {
  @ApiProperty({ example: 'Hosting provider' })
  name: string;

  @ApiProperty({ example: 'Stores the conversations on our behalf' })
  purpose: string;
}

export class ProcessingFactsDto implements PrivacyProcessingFacts {
  @ApiProperty({ type: ControllerDto })
  controller: ControllerDto;

  @ApiProperty({ example: ['Answering questions asked in the chat widget'], type: [String] })
  purposes: string[];

  @ApiProperty({ example: 'Legitimate interest (GDPR Art. 6(1)(f))' })
  legalBasis: string;

  @ApiProperty({
    type: [RecipientDto],
    description: 'Includes the language-model provider when one is configured',
  })
  recipients: RecipientDto[];

  @ApiProperty({
    example: 'Conversations are deleted 90 days after their last message',
    description: 'How long the data is kept',
  })
  retention: string;

  @ApiProperty({
    example: 'Typed by the visitor in the chat widget',
    description: 'Where the data came from',
  })
  source: string;

  @ApiProperty({ example: 'None' })
  automatedDecisionMaking: string;

  @ApiProperty({
    example: ['access', 'rectification', 'erasure', 'portability', 'objection'],
    type: [String],
  })
  rights: string[];
}

class ExportSubjectDto {
  @ApiProperty({ example: 'visitor', enum: PRIVACY_SUBJECT_KINDS })
  kind: PrivacyExport['subject']['kind'];

  @ApiProperty({
    example: EXAMPLE.visitorUuid,
    description: 'The visitor UUID, email or account id the export is about',
  })
  value: string;
}

/** The document of GDPR Art. 15 and 20: the subject's rows, one section per registered table. */
export class PrivacyExportDto implements PrivacyExport {
  @ApiProperty({ example: 'cloop.privacy-export.v1', enum: ['cloop.privacy-export.v1'] })
  format: 'cloop.privacy-export.v1';

  @ApiProperty({ example: EXAMPLE.at, format: 'date-time' })
  generatedAt: string;

  @ApiProperty({ type: ExportSubjectDto })
  subject: ExportSubjectDto;

  @ApiProperty({ type: ProcessingFactsDto })
  processing: ProcessingFactsDto;

  @ApiProperty({
    type: 'object',
    description:
      "One section per table of the personal-data registry, each an array of only the subject's rows (visitors: `visitors`, `conversations`, `messages`; accounts: `users`, `memberships`, `refresh_tokens`, `sso_sessions`, `password_resets`, `invitations`, `messages`, `privacy_requests`, `audit_events`)",
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
    example: {
      visitors: [{ id: '…', visitor_uuid: '…', last_seen_at: '…', created_at: '…' }],
      conversations: [],
      messages: [],
    },
  })
  data: Record<string, Record<string, unknown>[]>;
}

export class ErasureResultDto implements ErasureResult {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Rows deleted per table',
    example: { messages: 12, conversations: 2, visitors: 1 },
  })
  deleted: Record<string, number>;
}

class RequestActorDto {
  @ApiProperty({ example: 'user', enum: ['user', 'visitor', 'system'] })
  kind: PrivacyRequest['actor']['kind'];

  @ApiProperty({ example: EXAMPLE.userId, type: String, format: 'uuid', nullable: true })
  userId: string | null;
}

export class PrivacyRequestDto implements PrivacyRequest {
  @ApiProperty({ example: EXAMPLE.privacyRequestId, format: 'uuid' })
  id: string;

  @ApiProperty({ example: EXAMPLE.siteId, type: String, format: 'uuid', nullable: true })
  siteId: string | null;

  @ApiProperty({ example: 'erase', enum: PRIVACY_REQUEST_KINDS })
  kind: PrivacyRequest['kind'];

  @ApiProperty({ example: 'visitor', enum: PRIVACY_SUBJECT_KINDS })
  subjectKind: PrivacyRequest['subjectKind'];

  @ApiProperty({
    example: 'c0ffee3b9d2a47e18f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f',
    description: 'Keyed hash of the subject: the same subject, the same hash; names nobody',
  })
  subjectHash: string;

  @ApiProperty({ example: EXAMPLE.at, format: 'date-time' })
  receivedAt: string;

  @ApiProperty({
    example: '2026-12-28T10:05:42.118Z',
    format: 'date-time',
    description: 'One month after receipt (GDPR Art. 12(3))',
  })
  dueAt: string;

  @ApiProperty({ example: EXAMPLE.at, type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ type: RequestActorDto })
  actor: RequestActorDto;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { messages: 12 } })
  counts: Record<string, number>;
}

export class PrivacyRequestPageDto implements Page<PrivacyRequest> {
  @ApiProperty({ type: [PrivacyRequestDto] })
  items: PrivacyRequestDto[];

  @ApiProperty({ example: EXAMPLE.cursor, type: String, nullable: true })
  nextCursor: string | null;
}

export class DeleteAccountDto implements DeleteAccountRequest {
  @ApiProperty({ example: 'correct horse battery staple', description: 'The current password, to confirm' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  password: string;
}

export class PrivacyConversationSubjectDto implements PrivacyConversationSubject {
  @ApiProperty({ example: EXAMPLE.conversationId, format: 'uuid' })
  conversationId: string;

  @ApiProperty({
    example: EXAMPLE.visitorUuid,
    format: 'uuid',
    description:
      "The visitor UUID the widget keeps in the visitor's browser: the `visitorId` of an export or erasure",
  })
  visitorId: string;

  @ApiProperty({ example: 'ada@example.com', type: String, nullable: true })
  email: string | null;
}

/** A cursor as the export writes it: after message 12 of a conversation. */
const EXAMPLE_SITE_CURSOR = Buffer.from(
  JSON.stringify([EXAMPLE.siteId, 'messages', [EXAMPLE.conversationId, 12]]),
).toString('base64url');

export class SiteExportQueryDto implements SiteExportQuery {
  @ApiPropertyOptional({
    example: EXAMPLE_SITE_CURSOR,
    description:
      'To resume: the value of the last `cursor` line received. The response then holds exactly the lines after it.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;
}

/**
 * One line of the site-wide export, for the OpenAPI document: the contract type `SiteExportLine`
 * is a union of four shapes told apart by `type`; each field below says which shape has it.
 */
export class SiteExportLineDto {
  @ApiProperty({ example: 'row', enum: ['export', 'row', 'cursor', 'end'] })
  type: 'export' | 'row' | 'cursor' | 'end';

  @ApiPropertyOptional({
    example: SITE_EXPORT_FORMAT,
    enum: [SITE_EXPORT_FORMAT],
    description: '`export` line',
  })
  format?: typeof SITE_EXPORT_FORMAT;

  @ApiPropertyOptional({ example: EXAMPLE.siteId, format: 'uuid', description: '`export` line' })
  siteId?: string;

  @ApiPropertyOptional({ example: EXAMPLE.at, format: 'date-time', description: '`export` line' })
  generatedAt?: string;

  @ApiPropertyOptional({
    example: null,
    type: String,
    nullable: true,
    description: '`export` line: the cursor this response resumes after, `null` from the start',
  })
  resumedFrom?: string | null;

  @ApiPropertyOptional({
    example: 'messages',
    enum: ['visitors', 'conversations', 'messages'],
    description: '`row` line: the table, in this order',
  })
  table?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      "`row` line: the row's columns (visitors: `id`, `last_seen_at`, `created_at` — never the browser's visitor UUID; conversations with `visitor_id`; messages with `conversation_id`). Timestamps in UTC with milliseconds, as everywhere in the API.",
    example: {
      id: '4a7d1ed4-1b2c-4e5f-8a9b-0c1d2e3f4a5b',
      conversation_id: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      seq: 12,
      author: 'visitor',
      body: 'Do you ship to Finland?',
      citations: [],
      confidence: null,
      created_at: '2026-12-07T10:05:42.118Z',
    },
  })
  data?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: EXAMPLE_SITE_CURSOR,
    description: '`cursor` line, after each batch of rows: pass it as `cursor` to get the lines after it',
  })
  cursor?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { visitors: 2, conversations: 3, messages: 41 },
    description: '`end` line, last: rows sent per table by this response. A stream without it was cut short.',
  })
  counts?: Record<string, number>;
}

/** One example of each line of the site-wide export, in the order they come. */
export const SITE_EXPORT_LINE_EXAMPLES = {
  export: {
    summary: 'First line',
    value: {
      type: 'export',
      format: SITE_EXPORT_FORMAT,
      siteId: EXAMPLE.siteId,
      generatedAt: EXAMPLE.at,
      resumedFrom: null,
    },
  },
  row: {
    summary: 'A row',
    value: {
      type: 'row',
      table: 'conversations',
      data: {
        id: EXAMPLE.conversationId,
        visitor_id: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
        phase: 'requesting_contact',
        status: 'open',
        email: 'ada@example.com',
        lead_status: 'new',
        entry_url: 'https://acme.example/pricing',
        locale: 'en',
        message_count: 4,
        last_message_at: '2026-12-07T10:05:42.118Z',
        visitor_seen_seq: 4,
        created_at: '2026-12-07T10:01:02.345Z',
      },
    },
  },
  cursor: { summary: 'After each batch of rows', value: { type: 'cursor', cursor: EXAMPLE_SITE_CURSOR } },
  end: {
    summary: 'Last line, once everything was sent',
    value: { type: 'end', counts: { visitors: 2, conversations: 3, messages: 41 } },
  },
};
