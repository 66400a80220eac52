import { API_PREFIX, type ErasureResult, type Page, type PrivacyRequest } from '@cloop/contracts';
import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { PageQueryDto } from '../common/pagination';
import { ApiInvalidInput } from '../openapi/api-errors';
import {
  ErasureResultDto,
  PrivacyExportDto,
  PrivacyRequestPageDto,
  PrivacySubjectDto,
} from './dto/privacy.dto';
import { downloadOf } from './download';
import { PrivacyService } from './privacy.service';

const invalid = ApiInvalidInput('The subject is not named by exactly one of `visitorId` and `email`');

/** The site's team answers visitors' data requests (GDPR Art. 15, 17, 20). */
@ApiTags('privacy')
@Controller(`${API_PREFIX}/sites/:siteId/privacy`)
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Post('exports')
  @SiteAccess('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: "A visitor's data, by visitor UUID or email, with the facts of GDPR Art. 15 (streamed JSON)",
    description:
      'Admins and owners only. Sent as an attachment; recorded in the privacy request ledger and the ' +
      'audit trail (by a keyed hash: the ledger names nobody).',
  })
  @ApiOkResponse({ type: PrivacyExportDto, description: 'The export document' })
  @invalid
  async export(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Body() body: PrivacySubjectDto,
  ): Promise<StreamableFile> {
    return downloadOf(await this.privacy.exportForTeam(scope, actor, body));
  }

  @Post('erasures')
  @SiteAccess('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: "Delete every row of a visitor's data in one transaction; returns rows deleted per table",
    description:
      "The visitor's open widgets are told (`visitor.erased`) and start afresh. A subject with no " +
      'data is not an error: the counts are zero.',
  })
  @ApiOkResponse({ type: ErasureResultDto, description: 'Rows deleted per table' })
  @invalid
  erase(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() actor: Principal,
    @Body() body: PrivacySubjectDto,
  ): Promise<ErasureResult> {
    return this.privacy.eraseForTeam(scope, actor, body);
  }

  @Get('requests')
  @SiteAccess('admin')
  @ApiOperation({
    summary: 'The ledger of export and erasure requests, newest first, with due dates',
    description:
      'Each request with when it was received, when it is due (one month, GDPR Art. 12(3)) and when ' +
      'it was completed. Subjects appear only as keyed hashes.',
  })
  @ApiOkResponse({ type: PrivacyRequestPageDto, description: 'A page of requests' })
  @ApiInvalidInput('`limit` or `cursor` is not valid')
  requests(@CurrentSite() scope: SiteScope, @Query() query: PageQueryDto): Promise<Page<PrivacyRequest>> {
    return this.privacy.listRequests(scope, query);
  }
}
