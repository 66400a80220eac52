import { API_PREFIX, type ErasureResult } from '@cloop/contracts';
import { Controller, Delete, Get, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { VisitorScope } from '../access/access-policy';
import { VisitorAccess } from '../access/policies';
import { CurrentVisitor } from '../access/scopes.decorator';
import { Endpoint } from '../openapi/endpoint';
import { ErasureResultDto, PrivacyExportDto } from './dto/privacy.dto';
import { downloadOf } from './download';
import { PrivacyService } from './privacy.service';

/** Visitors' own rights, from the widget: a copy of their data, and erasure of it. */
@ApiTags('widget')
@Controller(`${API_PREFIX}/widget/privacy`)
export class WidgetPrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('export')
  @VisitorAccess()
  @Endpoint({
    summary: "The calling visitor's own data, with the facts of GDPR Art. 15 (JSON download)",
    description: 'What the widget\'s "Download my data" link fetches; sent as an attachment.',
    ok: { type: PrivacyExportDto, description: 'The export document' },
  })
  async export(@CurrentVisitor() visitor: VisitorScope): Promise<StreamableFile> {
    return downloadOf(await this.privacy.exportOwnData(visitor));
  }

  @Delete()
  @VisitorAccess()
  @Endpoint({
    summary:
      "Erase the calling visitor's data; their open widgets receive `visitor.erased` and start fresh with a new visitor id",
    description: 'Deletes the visitor record, their conversations and messages in one transaction.',
    ok: { type: ErasureResultDto, description: 'Rows deleted per table' },
  })
  erase(@CurrentVisitor() visitor: VisitorScope): Promise<ErasureResult> {
    return this.privacy.eraseOwnData(visitor);
  }
}
