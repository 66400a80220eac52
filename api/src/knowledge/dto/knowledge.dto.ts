import {
  CRAWL_DEPTH_LIMIT_MAX,
  CRAWL_PAGE_LIMIT_MAX,
  type CreateKnowledgeSourceRequest,
  KNOWLEDGE_DOCUMENT_STATUSES,
  KNOWLEDGE_SOURCE_STATUSES,
  KNOWLEDGE_SOURCE_TYPES,
  type KnowledgeDocument,
  type KnowledgeSearchRequest,
  type KnowledgeSearchResponse,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  type Page,
  type Passage,
  QA_ANSWER_MAX_LENGTH,
  QA_QUESTION_MAX_LENGTH,
  SEARCH_QUERY_MAX_LENGTH,
  type UnansweredQuestion,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsString, IsUrl, Max, MaxLength, Min, ValidateIf } from 'class-validator';

import { DomainError } from '../../common/domain-error';

const forCrawl = (dto: CreateKnowledgeSourceDto): boolean => dto.type === 'crawl';
const forQa = (dto: CreateKnowledgeSourceDto): boolean => dto.type === 'qa';

/** `{ type: 'crawl', url, pageLimit?, depthLimit? }` or `{ type: 'qa', question, answer }`. */
export class CreateKnowledgeSourceDto {
  @ApiProperty({ enum: ['crawl', 'qa'], description: 'Files are added through `POST …/knowledge/uploads`' })
  @IsIn(['crawl', 'qa'])
  type: 'crawl' | 'qa';

  @ApiPropertyOptional({
    example: 'https://shop.example/sitemap.xml',
    description: "crawl: a page or a sitemap.xml on one of the site's allowed origins",
  })
  @ValidateIf(forCrawl)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: CRAWL_PAGE_LIMIT_MAX, default: 200 })
  @ValidateIf((dto: CreateKnowledgeSourceDto) => forCrawl(dto) && dto.pageLimit !== undefined)
  @IsInt()
  @Min(1)
  @Max(CRAWL_PAGE_LIMIT_MAX)
  pageLimit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: CRAWL_DEPTH_LIMIT_MAX, default: 3 })
  @ValidateIf((dto: CreateKnowledgeSourceDto) => forCrawl(dto) && dto.depthLimit !== undefined)
  @IsInt()
  @Min(0)
  @Max(CRAWL_DEPTH_LIMIT_MAX)
  depthLimit?: number;

  @ApiPropertyOptional({ maxLength: QA_QUESTION_MAX_LENGTH, example: 'Do you ship to Finland?' })
  @ValidateIf(forQa)
  @IsString()
  @IsNotEmpty()
  @MaxLength(QA_QUESTION_MAX_LENGTH)
  question?: string;

  @ApiPropertyOptional({ maxLength: QA_ANSWER_MAX_LENGTH, example: 'Yes, in 3–5 working days.' })
  @ValidateIf(forQa)
  @IsString()
  @IsNotEmpty()
  @MaxLength(QA_ANSWER_MAX_LENGTH)
  answer?: string;
}

/** The validated body as the contract's union; fields of the other type are refused, not ignored. */
export function toCreateRequest(dto: CreateKnowledgeSourceDto): CreateKnowledgeSourceRequest {
  const { type, url, pageLimit, depthLimit, question, answer } = dto;
  const misplaced =
    type === 'crawl'
      ? [question, answer].some((value) => value !== undefined)
      : [url, pageLimit, depthLimit].some((value) => value !== undefined);
  if (misplaced) {
    throw new DomainError(
      'VALIDATION_FAILED',
      type === 'crawl'
        ? 'A crawl takes url, pageLimit and depthLimit only'
        : 'A Q&A takes question and answer only',
    );
  }
  return type === 'crawl'
    ? { type, url: url ?? '', pageLimit, depthLimit }
    : { type, question: question ?? '', answer: answer ?? '' };
}

export class KnowledgeSourceDto implements KnowledgeSource {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ enum: KNOWLEDGE_SOURCE_TYPES }) type: KnowledgeSource['type'];
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ enum: KNOWLEDGE_SOURCE_STATUSES }) status: KnowledgeSource['status'];
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: Number, nullable: true }) pageLimit: number | null;
  @ApiProperty({ type: Number, nullable: true }) depthLimit: number | null;
  @ApiProperty() documentCount: number;
  @ApiProperty() chunkCount: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) crawledAt: string | null;
}

export class KnowledgeDocumentDto implements KnowledgeDocument {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ enum: KNOWLEDGE_DOCUMENT_STATUSES }) status: KnowledgeDocument['status'];
  @ApiProperty({ type: String, nullable: true, example: 'Disallowed by robots.txt' }) detail: string | null;
  @ApiProperty() chunkCount: number;
  @ApiProperty({ format: 'date-time' }) fetchedAt: string;
}

export class KnowledgeSourceDetailDto extends KnowledgeSourceDto implements KnowledgeSourceDetail {
  @ApiProperty({ type: [KnowledgeDocumentDto], description: 'Every page or file, with what became of it' })
  documents: KnowledgeDocumentDto[];
}

export class KnowledgeSourcePageDto implements Page<KnowledgeSource> {
  @ApiProperty({ type: [KnowledgeSourceDto] }) items: KnowledgeSourceDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class KnowledgeSearchDto implements KnowledgeSearchRequest {
  @ApiProperty({ maxLength: SEARCH_QUERY_MAX_LENGTH, example: 'How long does delivery take?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SEARCH_QUERY_MAX_LENGTH)
  query: string;
}

export class PassageDto implements Passage {
  @ApiProperty({ format: 'uuid' }) chunkId: string;
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ description: 'Headings above the passage, outermost first' }) heading: string;
  @ApiProperty() content: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) score: number;
}

export class KnowledgeSearchResponseDto implements KnowledgeSearchResponse {
  @ApiProperty({ type: [PassageDto] }) passages: PassageDto[];
}

export class UnansweredQuestionDto implements UnansweredQuestion {
  @ApiProperty({ format: 'uuid' }) conversationId: string;
  @ApiProperty() question: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence: number;
  @ApiProperty({ format: 'date-time' }) askedAt: string;
}

export class UnansweredQuestionsDto {
  @ApiProperty({ type: [UnansweredQuestionDto] }) items: UnansweredQuestionDto[];
}
