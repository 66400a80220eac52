import { API_PREFIX, type AuditEvent, type Page } from '@cloop/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { OrganizationScope } from '../access/access-policy';
import { OrganizationAccess } from '../access/policies';
import { CurrentOrganization } from '../access/scopes.decorator';
import { PageQueryDto } from '../common/pagination';
import { Endpoint } from '../openapi/endpoint';
import { AuditService } from './audit.service';
import { AuditEventPageDto } from './dto/audit.dto';

@ApiTags('audit')
@Controller(`${API_PREFIX}/organizations/:orgId/audit-events`)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @OrganizationAccess('admin')
  @Endpoint({
    summary: "The organization's audit trail, newest first (append-only, hash-chained)",
    description:
      'Who changed what: sign-ins, role changes, site settings, deletions, privacy requests. Each ' +
      "event's `hash` covers the previous one, so an altered row breaks the chain (`cloop audit:verify`).",
    ok: { type: AuditEventPageDto, description: 'A page of events' },
    invalid: '`limit` or `cursor` is not valid',
  })
  list(
    @CurrentOrganization() scope: OrganizationScope,
    @Query() query: PageQueryDto,
  ): Promise<Page<AuditEvent>> {
    return this.audit.list(scope, query);
  }
}
