import { API_PREFIX, type Page, type Site } from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { Authenticated, SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
import { CreateSiteDto, ListSitesQueryDto, SiteDto, SitePageDto, UpdateSiteDto } from './dto/sites.dto';
import { SitesService } from './sites.service';

const invalid = ApiBadRequestResponse({ description: 'Invalid body or query', type: ErrorResponseDto });

@ApiTags('sites')
@Controller(`${API_PREFIX}/sites`)
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Sites of every organization the caller belongs to' })
  @ApiOkResponse({ type: SitePageDto })
  @invalid
  list(@CurrentUser() principal: Principal, @Query() query: ListSitesQueryDto): Promise<Page<Site>> {
    return this.sites.list(principal, query);
  }

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create a site in an organization where the caller is admin or owner' })
  @ApiCreatedResponse({ type: SiteDto })
  @ApiForbiddenResponse({
    description: 'The caller is only a member of the organization',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'ORGANIZATION_NOT_FOUND', type: ErrorResponseDto })
  @invalid
  create(@CurrentUser() principal: Principal, @Body() body: CreateSiteDto): Promise<Site> {
    return this.sites.create(principal, body);
  }

  @Get(':siteId')
  @SiteAccess('member')
  @ApiOperation({ summary: 'One site with its settings' })
  @ApiOkResponse({ type: SiteDto })
  get(@CurrentSite() scope: SiteScope): Promise<Site> {
    return this.sites.get(scope);
  }

  @Patch(':siteId')
  @SiteAccess('admin')
  @ApiOperation({ summary: 'Change settings; only the fields sent change, widget settings merge' })
  @ApiOkResponse({ type: SiteDto })
  @invalid
  update(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() principal: Principal,
    @Body() body: UpdateSiteDto,
  ): Promise<Site> {
    return this.sites.update(scope, principal, body);
  }

  @Delete(':siteId')
  @SiteAccess('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the site and everything recorded for it' })
  @ApiNoContentResponse()
  async delete(@CurrentSite() scope: SiteScope, @CurrentUser() principal: Principal): Promise<void> {
    await this.sites.delete(scope, principal);
  }

  @Post(':siteId/rotate-key')
  @SiteAccess('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the public key; the old one stops working at once' })
  @ApiOkResponse({ type: SiteDto })
  rotateKey(@CurrentSite() scope: SiteScope, @CurrentUser() principal: Principal): Promise<Site> {
    return this.sites.rotateKey(scope, principal);
  }
}
