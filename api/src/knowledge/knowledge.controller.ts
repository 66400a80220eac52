import {
  API_PREFIX,
  type KnowledgeSearchResponse,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  type Page,
  UPLOAD_MAX_BYTES,
} from '@cloop/contracts';
import { Body, Controller, Delete, Get, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite } from '../access/scopes.decorator';
import { DomainError } from '../common/domain-error';
import { PageQueryDto } from '../common/pagination';
import type { RouteErrors } from '../openapi/api-errors';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import {
  CreateKnowledgeSourceDto,
  KnowledgeSearchDto,
  KnowledgeSearchResponseDto,
  KnowledgeSourceDetailDto,
  KnowledgeSourceDto,
  KnowledgeSourcePageDto,
  toCreateRequest,
  UnansweredQuestionsDto,
} from './dto/knowledge.dto';
import { KnowledgeService } from './knowledge.service';
import { KnowledgeSearch } from './retrieval/knowledge-search.service';

const SEARCH_RESULTS = 8;
const invalid = 'The body or `sourceId` is not valid; `details` lists each problem';
const noSource: RouteErrors = { SOURCE_NOT_FOUND: 'No such source on this site' };

/** The site's knowledge base: what the assistant answers from. */
@ApiTags('knowledge')
@Controller(`${API_PREFIX}/sites/:siteId/knowledge`)
export class KnowledgeController {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly retrieval: KnowledgeSearch,
  ) {}

  @Get('sources')
  @SiteAccess('member', 'knowledge:read')
  @Endpoint({
    summary: 'Sources with their status and chunk counts, oldest first',
    description:
      'Crawls, uploads and questions with answers. Keyset-paginated: pass `nextCursor` back as `cursor`.',
    ok: { type: KnowledgeSourcePageDto, description: 'A page of sources' },
    invalid,
  })
  list(@CurrentSite() scope: SiteScope, @Query() query: PageQueryDto): Promise<Page<KnowledgeSource>> {
    return this.knowledge.list(scope, query);
  }

  @Post('sources')
  @SiteAccess('admin', 'knowledge:write')
  @Endpoint({
    summary:
      'Add a crawl (runs in the background; watch its status) or a question and answer (indexed at once)',
    description:
      '`{ type: "crawl", url, pageLimit?, depthLimit? }` crawls from a page or a sitemap.xml on one of ' +
      "the site's allowed origins, as robots.txt allows; the source starts `queued`. " +
      '`{ type: "qa", question, answer }` is indexed before the answer and starts `ready`.',
    created: { type: KnowledgeSourceDto, description: 'The new source' },
    errors: { CRAWL_URL_NOT_ALLOWED: "The crawl URL is not on one of the site's allowed origins" },
    invalid,
  })
  create(@CurrentSite() scope: SiteScope, @Body() body: CreateKnowledgeSourceDto): Promise<KnowledgeSource> {
    return this.knowledge.create(scope, toCreateRequest(body));
  }

  @Get('sources/:sourceId')
  @SiteAccess('member', 'knowledge:read')
  @Endpoint({
    summary: 'One source with every page or file and what became of it',
    description:
      'Each page or file is `indexed`, `unchanged`, `skipped` or `failed`, with the reason in `detail`.',
    ok: { type: KnowledgeSourceDetailDto, description: 'The source and its documents' },
    errors: noSource,
    invalid,
  })
  get(
    @CurrentSite() scope: SiteScope,
    @UuidParam('sourceId') sourceId: string,
  ): Promise<KnowledgeSourceDetail> {
    return this.knowledge.get(scope, sourceId);
  }

  @Delete('sources/:sourceId')
  @SiteAccess('admin', 'knowledge:write')
  @Endpoint({
    summary: 'Delete the source and everything indexed from it',
    description: 'The assistant stops answering from it at once.',
    noContent: 'Deleted',
    errors: noSource,
    invalid,
  })
  async delete(@CurrentSite() scope: SiteScope, @UuidParam('sourceId') sourceId: string): Promise<void> {
    await this.knowledge.delete(scope, sourceId);
  }

  @Post('sources/:sourceId/recrawl')
  @SiteAccess('admin', 'knowledge:write')
  @Endpoint({
    summary: 'Crawl again; pages whose text did not change keep their index',
    description:
      'Runs in the background like the first crawl; pages that vanished are dropped from the index.',
    accepted: { type: KnowledgeSourceDto, description: 'Queued; watch the source status' },
    errors: { ...noSource, NOT_A_CRAWL: 'The source is an upload or a question and answer' },
    invalid,
  })
  recrawl(
    @CurrentSite() scope: SiteScope,
    @UuidParam('sourceId') sourceId: string,
  ): Promise<KnowledgeSource> {
    return this.knowledge.recrawl(scope, sourceId);
  }

  @Post('uploads')
  @SiteAccess('admin', 'knowledge:write')
  @Endpoint({
    summary: 'Upload a text, Markdown, HTML or PDF file (up to 10 MB), indexed at once',
    description: 'One file in the multipart field `file`. Text PDFs only: a scan needs OCR first.',
    created: { type: KnowledgeSourceDto, description: 'The new source, indexed' },
    errors: {
      PAYLOAD_TOO_LARGE: 'The file is larger than 10 MB',
      UNSUPPORTED_FILE_TYPE: 'The file is not plain text, Markdown, HTML or PDF',
      FILE_UNREADABLE: 'The file holds no readable text (e.g. a scanned PDF)',
    },
    invalid: 'The request is not multipart/form-data with one file in the field `file`',
    consumes: 'multipart/form-data',
    body: {
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary' } },
      },
    },
  })
  async upload(@CurrentSite() scope: SiteScope, @Req() request: FastifyRequest): Promise<KnowledgeSource> {
    if (!request.isMultipart())
      throw new DomainError('VALIDATION_FAILED', 'Send the file as multipart/form-data');
    const file = await request.file({ limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 0 } });
    if (!file || file.fieldname !== 'file')
      throw new DomainError('VALIDATION_FAILED', 'Send one file in the field "file"');
    let content: Buffer;
    try {
      content = await file.toBuffer();
    } catch {
      throw new DomainError('PAYLOAD_TOO_LARGE', 'Files are limited to 10 MB');
    }
    return this.knowledge.upload(scope, { filename: file.filename, mimetype: file.mimetype, content });
  }

  @Post('search')
  @SiteAccess('member', 'knowledge:read')
  @Endpoint({
    summary: 'The passages the assistant would answer from, best first ("test a question")',
    description: 'Up to 8 passages with their source and a score between 0 and 1.',
    ok: { type: KnowledgeSearchResponseDto, description: 'The best passages' },
    invalid,
  })
  async search(
    @CurrentSite() scope: SiteScope,
    @Body() body: KnowledgeSearchDto,
  ): Promise<KnowledgeSearchResponse> {
    return { passages: await this.retrieval.search(scope.siteId, body.query, SEARCH_RESULTS) };
  }

  @Get('unanswered')
  @SiteAccess('member', 'knowledge:read')
  @Endpoint({
    summary: 'Visitor questions the assistant could not answer well: content to add',
    description: 'Recent visitor questions whose best passage scored low: what the knowledge base lacks.',
    ok: { type: UnansweredQuestionsDto, description: 'The questions' },
  })
  async unanswered(@CurrentSite() scope: SiteScope): Promise<UnansweredQuestionsDto> {
    return { items: await this.retrieval.unanswered(scope) };
  }

  @Delete('unanswered/:questionId')
  @SiteAccess('admin', 'knowledge:write')
  @Endpoint({
    summary: 'Take a question off the unanswered list',
    description:
      'For questions the site should not answer. A question the content comes to answer leaves the list by itself.',
    noContent: 'Dismissed (also when it already was)',
    errors: { QUESTION_NOT_FOUND: 'No visitor message with this id on this site' },
    invalid: '`questionId` is not a uuid',
  })
  async dismissUnanswered(
    @CurrentSite() scope: SiteScope,
    @UuidParam('questionId') questionId: string,
  ): Promise<void> {
    await this.retrieval.dismissUnanswered(scope, questionId);
  }
}
