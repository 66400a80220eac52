import { API_PREFIX, type ErasureResult, type Page, type PrivacyRequest } from '@cloop/contracts';
import { Body, Controller, Get, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiTags, getSchemaPath } from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { PageQueryDto } from '../common/pagination';
import { Endpoint } from '../openapi/endpoint';
import {
  ErasureResultDto,
  PrivacyExportDto,
  PrivacyRequestPageDto,
  PrivacySubjectDto,
  SITE_EXPORT_LINE_EXAMPLES,
  SiteExportLineDto,
  SiteExportQueryDto,
} from './dto/privacy.dto';
import { downloadOf } from './download';
import { PrivacyService } from './privacy.service';
import { SiteExportService } from './site-export.service';

const invalid = 'The subject is not named by exactly one of `visitorId` and `email`';

/** The site's team answers visitors' data requests (GDPR Art. 15, 17, 20). */
@ApiTags('privacy')
@Controller(`${API_PREFIX}/sites/:siteId/privacy`)
export class PrivacyController {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly siteExport: SiteExportService,
  ) {}

  @Get('export')
  @SiteAccess('admin', 'privacy:read')
  @Endpoint({
    summary:
      "Every visitor's data of the site as NDJSON: visitors, conversations, messages (streamed, resumable)",
    description:
      'Admins and owners only; sent as an attachment (`application/x-ndjson`), one JSON object per line: ' +
      'an `export` line, then `row` lines table by table with a `cursor` line after each batch, and an ' +
      '`end` line with the counts once everything was sent. A stream that ends without `end` was cut ' +
      'short: request again with the last `cursor` received, dropping the rows received after it. ' +
      "Visitors appear by record id, never by the browser's visitor UUID. Each response is recorded " +
      'in the privacy request ledger (subject kind `site`) and the audit trail.',
    ok: {
      description: 'NDJSON: each line one of these objects',
      content: {
        'application/x-ndjson': {
          schema: { $ref: getSchemaPath(SiteExportLineDto) },
          examples: SITE_EXPORT_LINE_EXAMPLES,
        },
      },
    },
    invalid: '`cursor` is not a cursor line of this site’s export',
    extraModels: [SiteExportLineDto],
  })
  async exportSite(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Query() query: SiteExportQueryDto,
  ): Promise<StreamableFile> {
    return downloadOf(
      await this.siteExport.export(scope, actor, query),
      'application/x-ndjson; charset=utf-8',
    );
  }

  @Post('exports')
  @SiteAccess('admin', 'privacy:read')
  @Endpoint({
    summary: "A visitor's data, by visitor UUID or email, with the facts of GDPR Art. 15 (streamed JSON)",
    description:
      'Admins and owners only. Sent as an attachment; recorded in the privacy request ledger and the ' +
      'audit trail (by a keyed hash: the ledger names nobody).',
    ok: { type: PrivacyExportDto, description: 'The export document' },
    invalid,
  })
  async export(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Body() body: PrivacySubjectDto,
  ): Promise<StreamableFile> {
    return downloadOf(await this.privacy.exportForTeam(scope, actor, body));
  }

  @Post('erasures')
  @SiteAccess('admin', 'privacy:write')
  @Endpoint({
    summary: "Delete every row of a visitor's data in one transaction; returns rows deleted per table",
    description:
      "The visitor's open widgets are told (`visitor.erased`) and start afresh. A subject with no " +
      'data is not an error: the counts are zero.',
    ok: { type: ErasureResultDto, description: 'Rows deleted per table' },
    invalid,
  })
  erase(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Body() body: PrivacySubjectDto,
  ): Promise<ErasureResult> {
    return this.privacy.eraseForTeam(scope, actor, body);
  }

  @Get('requests')
  @SiteAccess('admin', 'privacy:read')
  @Endpoint({
    summary: 'The ledger of export and erasure requests, newest first, with due dates',
    description:
      'Each request with when it was received, when it is due (one month, GDPR Art. 12(3)) and when ' +
      'it was completed. Subjects appear only as keyed hashes.',
    ok: { type: PrivacyRequestPageDto, description: 'A page of requests' },
    invalid: '`limit` or `cursor` is not valid',
  })
  requests(@CurrentSite() scope: SiteScope, @Query() query: PageQueryDto): Promise<Page<PrivacyRequest>> {
    return this.privacy.listRequests(scope, query);
  }
}
