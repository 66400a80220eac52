import {
  API_PREFIX,
  type KnowledgeSearchResponse,
  type KnowledgeSource,
  type KnowledgeSourceDetail,
  type Page,
  UPLOAD_MAX_BYTES,
} from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite } from '../access/scopes.decorator';
import { DomainError } from '../common/domain-error';
import { ErrorResponseDto } from '../common/error-response.dto';
import { PageQueryDto } from '../common/pagination';
import { uuidParam } from '../common/uuid-param.pipe';
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

const SEARCH_RESULTS = 8;
const invalid = ApiBadRequestResponse({ description: 'Invalid body or parameter', type: ErrorResponseDto });

/** The site's knowledge base: what the assistant answers from. */
@ApiTags('knowledge')
@Controller(`${API_PREFIX}/sites/:siteId/knowledge`)
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get('sources')
  @SiteAccess('member')
  @ApiOperation({ summary: 'Sources with their status and chunk counts, oldest first' })
  @ApiOkResponse({ type: KnowledgeSourcePageDto })
  list(@CurrentSite() scope: SiteScope, @Query() query: PageQueryDto): Promise<Page<KnowledgeSource>> {
    return this.knowledge.list(scope, query);
  }

  @Post('sources')
  @SiteAccess('admin')
  @ApiOperation({
    summary:
      'Add a crawl (runs in the background; watch its status) or a question and answer (indexed at once)',
  })
  @ApiCreatedResponse({ type: KnowledgeSourceDto })
  @invalid
  create(@CurrentSite() scope: SiteScope, @Body() body: CreateKnowledgeSourceDto): Promise<KnowledgeSource> {
    return this.knowledge.create(scope, toCreateRequest(body));
  }

  @Get('sources/:sourceId')
  @SiteAccess('member')
  @ApiOperation({ summary: 'One source with every page or file and what became of it' })
  @ApiOkResponse({ type: KnowledgeSourceDetailDto })
  get(
    @CurrentSite() scope: SiteScope,
    @Param('sourceId', uuidParam) sourceId: string,
  ): Promise<KnowledgeSourceDetail> {
    return this.knowledge.get(scope, sourceId);
  }

  @Delete('sources/:sourceId')
  @SiteAccess('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the source and everything indexed from it' })
  @ApiNoContentResponse()
  async delete(
    @CurrentSite() scope: SiteScope,
    @Param('sourceId', uuidParam) sourceId: string,
  ): Promise<void> {
    await this.knowledge.delete(scope, sourceId);
  }

  @Post('sources/:sourceId/recrawl')
  @SiteAccess('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Crawl again; pages whose text did not change keep their index' })
  @ApiOkResponse({ type: KnowledgeSourceDto })
  recrawl(
    @CurrentSite() scope: SiteScope,
    @Param('sourceId', uuidParam) sourceId: string,
  ): Promise<KnowledgeSource> {
    return this.knowledge.recrawl(scope, sourceId);
  }

  @Post('uploads')
  @SiteAccess('admin')
  @ApiOperation({ summary: 'Upload a text, Markdown, HTML or PDF file (up to 10 MB), indexed at once' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: KnowledgeSourceDto })
  @invalid
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
  @SiteAccess('member')
  @HttpCode(200)
  @ApiOperation({ summary: 'The passages the assistant would answer from, best first ("test a question")' })
  @ApiOkResponse({ type: KnowledgeSearchResponseDto })
  @invalid
  async search(
    @CurrentSite() scope: SiteScope,
    @Body() body: KnowledgeSearchDto,
  ): Promise<KnowledgeSearchResponse> {
    return { passages: await this.knowledge.search(scope.siteId, body.query, SEARCH_RESULTS) };
  }

  @Get('unanswered')
  @SiteAccess('member')
  @ApiOperation({ summary: 'Visitor questions the assistant could not answer well: content to add' })
  @ApiOkResponse({ type: UnansweredQuestionsDto })
  async unanswered(@CurrentSite() scope: SiteScope): Promise<UnansweredQuestionsDto> {
    return { items: await this.knowledge.unanswered(scope) };
  }
}
