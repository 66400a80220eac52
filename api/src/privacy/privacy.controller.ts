import { API_PREFIX, type ErasureResult, type Page, type PrivacyRequest } from '@cloop/contracts';
import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
import { PageQueryDto } from '../common/pagination';
import {
  ErasureResultDto,
  PrivacyExportDto,
  PrivacyRequestPageDto,
  PrivacySubjectDto,
} from './dto/privacy.dto';
import { downloadOf } from './download';
import { PrivacyService } from './privacy.service';

const invalid = ApiBadRequestResponse({
  description: 'VALIDATION_FAILED: name the subject by exactly one of visitorId and email',
  type: ErrorResponseDto,
});

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
  })
  @ApiOkResponse({ type: PrivacyExportDto })
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
  })
  @ApiOkResponse({ type: ErasureResultDto })
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
  @ApiOperation({ summary: 'The ledger of export and erasure requests, newest first, with due dates' })
  @ApiOkResponse({ type: PrivacyRequestPageDto })
  @ApiBadRequestResponse({ description: 'Invalid query', type: ErrorResponseDto })
  requests(@CurrentSite() scope: SiteScope, @Query() query: PageQueryDto): Promise<Page<PrivacyRequest>> {
    return this.privacy.listRequests(scope, query);
  }
}
