import { API_PREFIX, type Page, type Site } from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { Authenticated, SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { ApiErrors, ApiInvalidInput } from '../openapi/api-errors';
import { CreateSiteDto, ListSitesQueryDto, SiteDto, SitePageDto, UpdateSiteDto } from './dto/sites.dto';
import { SitesService } from './sites.service';

const invalid = ApiInvalidInput('The body or query is not valid; `details` lists each problem');

@ApiTags('sites')
@Controller(`${API_PREFIX}/sites`)
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @Authenticated('sites:read')
  @ApiOperation({
    summary: 'Sites of every organization the caller belongs to',
    description: 'One page of sites, oldest first; pass `nextCursor` back as `cursor` for the next page.',
  })
  @ApiOkResponse({ type: SitePageDto, description: 'A page of sites' })
  @invalid
  list(@CurrentUser() principal: Principal, @Query() query: ListSitesQueryDto): Promise<Page<Site>> {
    return this.sites.list(principal, query);
  }

  @Post()
  @Authenticated('sites:write')
  @ApiOperation({
    summary: 'Create a site in an organization where the caller is admin or owner',
    description:
      'The new site gets a random `publicKey` for its embed snippet. The widget works only on pages ' +
      "whose origin is in `allowedOrigins` (and on this server's demo page).",
  })
  @ApiCreatedResponse({ type: SiteDto, description: 'The new site' })
  @ApiErrors({
    FORBIDDEN: 'The caller is only a member of the organization',
    ORGANIZATION_NOT_FOUND: 'No such organization, or the caller is not a member',
  })
  @invalid
  create(@CurrentUser() principal: Principal, @Body() body: CreateSiteDto): Promise<Site> {
    return this.sites.create(principal, body);
  }

  @Get(':siteId')
  @SiteAccess('member', 'sites:read')
  @ApiOperation({
    summary: 'One site with its settings',
    description: 'Any member of the owning organization may read it.',
  })
  @ApiOkResponse({ type: SiteDto, description: 'The site' })
  get(@CurrentSite() scope: SiteScope): Promise<Site> {
    return this.sites.get(scope);
  }

  @Patch(':siteId')
  @SiteAccess('admin', 'sites:write')
  @ApiOperation({
    summary: 'Change settings; only the fields sent change, widget settings merge',
    description: 'Admins and owners only. The change is recorded in the audit trail.',
  })
  @ApiOkResponse({ type: SiteDto, description: 'The site as changed' })
  @invalid
  update(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() principal: Principal,
    @Body() body: UpdateSiteDto,
  ): Promise<Site> {
    return this.sites.update(scope, principal, body);
  }

  @Delete(':siteId')
  @SiteAccess('admin', 'sites:write')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete the site and everything recorded for it',
    description: 'Visitors, conversations, messages and the knowledge base go with it, at once and for good.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(@CurrentSite() scope: SiteScope, @CurrentUser() principal: Principal): Promise<void> {
    await this.sites.delete(scope, principal);
  }

  @Post(':siteId/rotate-key')
  @SiteAccess('admin', 'sites:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the public key; the old one stops working at once',
    description: 'Pages still embedding the old key show no widget until their snippet is updated.',
  })
  @ApiOkResponse({ type: SiteDto, description: 'The site with its new `publicKey`' })
  rotateKey(@CurrentSite() scope: SiteScope, @CurrentUser() principal: Principal): Promise<Site> {
    return this.sites.rotateKey(scope, principal);
  }
}
