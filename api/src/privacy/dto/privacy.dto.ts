import {
  type DeleteAccountRequest,
  EMAIL_MAX_LENGTH,
  type ErasureResult,
  type Page,
  PRIVACY_REQUEST_KINDS,
  PRIVACY_SUBJECT_KINDS,
  type PrivacyExport,
  type PrivacyProcessingFacts,
  type PrivacyRequest,
  type PrivacySubjectRequest,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

import { IsOptionalNotNull } from '../../common/validation';

export class PrivacySubjectDto implements PrivacySubjectRequest {
  @ApiPropertyOptional({
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
  @ApiProperty()
  name: string;

  @ApiProperty()
  purpose: string;
}

export class ProcessingFactsDto implements PrivacyProcessingFacts {
  @ApiProperty({ type: ControllerDto })
  controller: ControllerDto;

  @ApiProperty({ type: [String] })
  purposes: string[];

  @ApiProperty()
  legalBasis: string;

  @ApiProperty({
    type: [RecipientDto],
    description: 'Includes the language-model provider when one is configured',
  })
  recipients: RecipientDto[];

  @ApiProperty({ description: 'How long the data is kept' })
  retention: string;

  @ApiProperty({ description: 'Where the data came from' })
  source: string;

  @ApiProperty()
  automatedDecisionMaking: string;

  @ApiProperty({ type: [String] })
  rights: string[];
}

class ExportSubjectDto {
  @ApiProperty({ enum: PRIVACY_SUBJECT_KINDS })
  kind: PrivacyExport['subject']['kind'];

  @ApiProperty({ description: 'The visitor UUID, email or account id the export is about' })
  value: string;
}

/** The document of GDPR Art. 15 and 20: the subject's rows, one section per registered table. */
export class PrivacyExportDto implements PrivacyExport {
  @ApiProperty({ enum: ['cloop.privacy-export.v1'] })
  format: 'cloop.privacy-export.v1';

  @ApiProperty({ format: 'date-time' })
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
  @ApiProperty({ enum: ['user', 'visitor', 'system'] })
  kind: PrivacyRequest['actor']['kind'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  userId: string | null;
}

export class PrivacyRequestDto implements PrivacyRequest {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  siteId: string | null;

  @ApiProperty({ enum: PRIVACY_REQUEST_KINDS })
  kind: PrivacyRequest['kind'];

  @ApiProperty({ enum: PRIVACY_SUBJECT_KINDS })
  subjectKind: PrivacyRequest['subjectKind'];

  @ApiProperty({ description: 'Keyed hash of the subject: the same subject, the same hash; names nobody' })
  subjectHash: string;

  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  @ApiProperty({ format: 'date-time', description: 'One month after receipt (GDPR Art. 12(3))' })
  dueAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ type: RequestActorDto })
  actor: RequestActorDto;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { messages: 12 } })
  counts: Record<string, number>;
}

export class PrivacyRequestPageDto implements Page<PrivacyRequest> {
  @ApiProperty({ type: [PrivacyRequestDto] })
  items: PrivacyRequestDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class DeleteAccountDto implements DeleteAccountRequest {
  @ApiProperty({ description: 'The current password, to confirm' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  password: string;
}
