import { API_PREFIX, type ErasureResult } from '@cloop/contracts';
import { Body, Controller, Delete, Get, HttpCode, Req, StreamableFile } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { Principal } from '../access/access-policy';
import { Authenticated } from '../access/policies';
import { CurrentUser } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
import { AccountPrivacyService } from './account-privacy.service';
import { DeleteAccountDto, ErasureResultDto, PrivacyExportDto } from './dto/privacy.dto';
import { downloadOf } from './download';

/** The signed-in user's own data rights. */
@ApiTags('auth')
@Controller(`${API_PREFIX}/auth/me`)
export class AccountController {
  constructor(private readonly accounts: AccountPrivacyService) {}

  @Get('export')
  @Authenticated()
  @ApiOperation({ summary: 'My account data, with the facts of GDPR Art. 15 (JSON download)' })
  @ApiOkResponse({ type: PrivacyExportDto })
  async export(@CurrentUser() principal: Principal): Promise<StreamableFile> {
    return downloadOf(await this.accounts.exportAccount(principal));
  }

  @Delete()
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Delete my account (password required). Organizations where I am the only member are deleted with their sites.',
  })
  @ApiOkResponse({ type: ErasureResultDto })
  @ApiForbiddenResponse({ description: 'WRONG_PASSWORD', type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'LAST_OWNER: make another member owner of an organization first',
    type: ErrorResponseDto,
  })
  erase(
    @CurrentUser() principal: Principal,
    @Body() body: DeleteAccountDto,
    @Req() request: FastifyRequest,
  ): Promise<ErasureResult> {
    return this.accounts.deleteAccount(principal, body.password, request.ip);
  }
}
