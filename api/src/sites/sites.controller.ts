import { API_PREFIX, type Page, type Site } from '@cloop/contracts';
import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal, SiteScope } from '../access/access-policy';
import { Authenticated, SiteAccess } from '../access/policies';
import { CurrentSite, CurrentUser } from '../access/scopes.decorator';
import { Endpoint } from '../openapi/endpoint';
import { CreateSiteDto, ListSitesQueryDto, SiteDto, SitePageDto, UpdateSiteDto } from './dto/sites.dto';
import { SitesService } from './sites.service';

const invalid = 'The body or query is not valid; `details` lists each problem';

@ApiTags('sites')
@Controller(`${API_PREFIX}/sites`)
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @Authenticated('sites:read')
  @Endpoint({
    summary: 'Sites of every organization the caller belongs to',
    description: 'One page of sites, oldest first; pass `nextCursor` back as `cursor` for the next page.',
    ok: { type: SitePageDto, description: 'A page of sites' },
    invalid,
  })
  list(@CurrentUser() principal: Principal, @Query() query: ListSitesQueryDto): Promise<Page<Site>> {
    return this.sites.list(principal, query);
  }

  @Post()
  @Authenticated('sites:write')
  @Endpoint({
    summary: 'Create a site in an organization where the caller is admin or owner',
    description:
      'The new site gets a random `publicKey` for its embed snippet. The widget works only on pages ' +
      "whose origin is in `allowedOrigins` (and on this server's demo page).",
    created: { type: SiteDto, description: 'The new site' },
    errors: {
      FORBIDDEN: 'The caller is only a member of the organization',
      ORGANIZATION_NOT_FOUND: 'No such organization, or the caller is not a member',
    },
    invalid,
  })
  create(@CurrentUser() principal: Principal, @Body() body: CreateSiteDto): Promise<Site> {
    return this.sites.create(principal, body);
  }

  @Get(':siteId')
  @SiteAccess('member', 'sites:read')
  @Endpoint({
    summary: 'One site with its settings',
    description: 'Any member of the owning organization may read it.',
    ok: { type: SiteDto, description: 'The site' },
  })
  get(@CurrentSite() scope: SiteScope): Promise<Site> {
    return this.sites.get(scope);
  }

  @Patch(':siteId')
  @SiteAccess('admin', 'sites:write')
  @Endpoint({
    summary: 'Change settings; only the fields sent change, widget settings merge',
    description: 'Admins and owners only. The change is recorded in the audit trail.',
    ok: { type: SiteDto, description: 'The site as changed' },
    invalid,
  })
  update(
    @CurrentSite() scope: SiteScope,
    @CurrentUser() principal: Principal,
    @Body() body: UpdateSiteDto,
  ): Promise<Site> {
    return this.sites.update(scope, principal, body);
  }

  @Delete(':siteId')
  @SiteAccess('admin', 'sites:write')
  @Endpoint({
    summary: 'Delete the site and everything recorded for it',
    description: 'Visitors, conversations, messages and the knowledge base go with it, at once and for good.',
    noContent: 'Deleted',
  })
  async delete(@CurrentSite() scope: SiteScope, @CurrentUser() principal: Principal): Promise<void> {
    await this.sites.delete(scope, principal);
  }

  @Post(':siteId/rotate-key')
  @SiteAccess('admin', 'sites:write')
  @Endpoint({
    summary: 'Replace the public key; the old one stops working at once',
    description: 'Pages still embedding the old key show no widget until their snippet is updated.',
    ok: { type: SiteDto, description: 'The site with its new `publicKey`' },
  })
  rotateKey(@CurrentSite() scope: SiteScope, @CurrentUser() principal: Principal): Promise<Site> {
    return this.sites.rotateKey(scope, principal);
  }
}
