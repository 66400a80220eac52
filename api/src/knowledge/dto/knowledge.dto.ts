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
  type UnansweredQuestionsResponse,
} from '@cloop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsString, IsUrl, Max, MaxLength, Min, ValidateIf } from 'class-validator';

import { DomainError } from '../../common/domain-error';
import { EXAMPLE } from '../../openapi/example-values';

const forCrawl = (dto: CreateKnowledgeSourceDto): boolean => dto.type === 'crawl';
const forQa = (dto: CreateKnowledgeSourceDto): boolean => dto.type === 'qa';

/** `{ type: 'crawl', url, pageLimit?, depthLimit? }` or `{ type: 'qa', question, answer }`. */
export class CreateKnowledgeSourceDto {
  @ApiProperty({
    example: 'crawl',
    enum: ['crawl', 'qa'],
    description: 'Files are added through `POST …/knowledge/uploads`',
  })
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

  @ApiPropertyOptional({ example: 200, minimum: 1, maximum: CRAWL_PAGE_LIMIT_MAX, default: 200 })
  @ValidateIf((dto: CreateKnowledgeSourceDto) => forCrawl(dto) && dto.pageLimit !== undefined)
  @IsInt()
  @Min(1)
  @Max(CRAWL_PAGE_LIMIT_MAX)
  pageLimit?: number;

  @ApiPropertyOptional({ example: 3, minimum: 0, maximum: CRAWL_DEPTH_LIMIT_MAX, default: 3 })
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
  @ApiProperty({ example: EXAMPLE.sourceId, format: 'uuid' }) id: string;
  @ApiProperty({ example: EXAMPLE.siteId, format: 'uuid' }) siteId: string;
  @ApiProperty({ example: 'crawl', enum: KNOWLEDGE_SOURCE_TYPES }) type: KnowledgeSource['type'];
  @ApiProperty({ example: 'www.example.com' }) title: string;
  @ApiProperty({ example: 'https://www.example.com/sitemap.xml', type: String, nullable: true }) url:
    | string
    | null;
  @ApiProperty({ example: 'ready', enum: KNOWLEDGE_SOURCE_STATUSES }) status: KnowledgeSource['status'];
  @ApiProperty({ example: null, type: String, nullable: true }) error: string | null;
  @ApiProperty({ example: 200, type: Number, nullable: true }) pageLimit: number | null;
  @ApiProperty({ example: 3, type: Number, nullable: true }) depthLimit: number | null;
  @ApiProperty({ example: 37 }) documentCount: number;
  @ApiProperty({ example: 214 }) chunkCount: number;
  @ApiProperty({ example: EXAMPLE.createdAt, format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: EXAMPLE.updatedAt, format: 'date-time' }) updatedAt: string;
  @ApiProperty({ example: EXAMPLE.updatedAt, type: String, format: 'date-time', nullable: true }) crawledAt:
    | string
    | null;
}

export class KnowledgeDocumentDto implements KnowledgeDocument {
  @ApiProperty({ example: EXAMPLE.documentId, format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://www.example.com/shipping', type: String, nullable: true }) url:
    | string
    | null;
  @ApiProperty({ example: 'Shipping and delivery' }) title: string;
  @ApiProperty({ example: 'indexed', enum: KNOWLEDGE_DOCUMENT_STATUSES }) status: KnowledgeDocument['status'];
  @ApiProperty({ type: String, nullable: true, example: 'Disallowed by robots.txt' }) detail: string | null;
  @ApiProperty({ example: 6 }) chunkCount: number;
  @ApiProperty({ example: EXAMPLE.updatedAt, format: 'date-time' }) fetchedAt: string;
}

export class KnowledgeSourceDetailDto extends KnowledgeSourceDto implements KnowledgeSourceDetail {
  @ApiProperty({ type: [KnowledgeDocumentDto], description: 'Every page or file, with what became of it' })
  documents: KnowledgeDocumentDto[];
}

export class KnowledgeSourcePageDto implements Page<KnowledgeSource> {
  @ApiProperty({ type: [KnowledgeSourceDto] }) items: KnowledgeSourceDto[];
  @ApiProperty({ example: EXAMPLE.cursor, type: String, nullable: true }) nextCursor: string | null;
}

export class KnowledgeSearchDto implements KnowledgeSearchRequest {
  @ApiProperty({ maxLength: SEARCH_QUERY_MAX_LENGTH, example: 'How long does delivery take?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SEARCH_QUERY_MAX_LENGTH)
  query: string;
}

export class PassageDto implements Passage {
  @ApiProperty({ example: EXAMPLE.chunkId, format: 'uuid' }) chunkId: string;
  @ApiProperty({ example: EXAMPLE.sourceId, format: 'uuid' }) sourceId: string;
  @ApiProperty({ example: 'Shipping and delivery' }) title: string;
  @ApiProperty({ example: 'https://www.example.com/shipping', type: String, nullable: true }) url:
    | string
    | null;
  @ApiProperty({ example: 'Shipping › Europe', description: 'Headings above the passage, outermost first' })
  heading: string;
  @ApiProperty({ example: 'We ship to every EU country. Orders to Finland arrive in 3–5 working days.' })
  content: string;
  @ApiProperty({ example: 0.82, minimum: 0, maximum: 1 }) score: number;
}

export class KnowledgeSearchResponseDto implements KnowledgeSearchResponse {
  @ApiProperty({ type: [PassageDto] }) passages: PassageDto[];
}

export class UnansweredQuestionDto implements UnansweredQuestion {
  @ApiProperty({
    example: EXAMPLE.messageId,
    format: 'uuid',
    description: 'The visitor message that asked it',
  })
  id: string;
  @ApiProperty({ example: EXAMPLE.conversationId, format: 'uuid' }) conversationId: string;
  @ApiProperty({ example: 'Can I return a sale item?' }) question: string;
  @ApiProperty({ example: 0.12, minimum: 0, maximum: 1 }) confidence: number;
  @ApiProperty({ example: EXAMPLE.at, format: 'date-time' }) askedAt: string;
}

export class UnansweredQuestionsDto implements UnansweredQuestionsResponse {
  @ApiProperty({ type: [UnansweredQuestionDto] }) items: UnansweredQuestionDto[];
}
