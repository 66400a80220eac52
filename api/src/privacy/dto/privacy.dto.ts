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
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

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
      "One section per table of the personal-data registry, each an array of only the subject's rows (visitors: `visitors`, `conversations`, `messages`; accounts: `users`, `memberships`, `refresh_tokens`, `invitations`, `messages`, `privacy_requests`, `audit_events`)",
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
