import { API_PREFIX, type AuditEvent, type Page } from '@cloop/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { OrganizationScope } from '../access/access-policy';
import { OrganizationAccess } from '../access/policies';
import { CurrentOrganization } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
import { PageQueryDto } from '../common/pagination';
import { AuditService } from './audit.service';
import { AuditEventPageDto } from './dto/audit.dto';

@ApiTags('audit')
@Controller(`${API_PREFIX}/organizations/:orgId/audit-events`)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @OrganizationAccess('admin')
  @ApiOperation({ summary: "The organization's audit trail, newest first (append-only, hash-chained)" })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiBadRequestResponse({ description: 'Invalid query', type: ErrorResponseDto })
  list(
    @CurrentOrganization() scope: OrganizationScope,
    @Query() query: PageQueryDto,
  ): Promise<Page<AuditEvent>> {
    return this.audit.list(scope, query);
  }
}
