import { API_PREFIX, type ErasureResult } from '@cloop/contracts';
import { Body, Controller, Delete, Get, Req, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { Principal } from '../access/access-policy';
import { Authenticated } from '../access/policies';
import { CurrentUser } from '../access/scopes.decorator';
import { Endpoint } from '../openapi/endpoint';
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
  @Endpoint({
    summary: 'My account data, with the facts of GDPR Art. 15 (JSON download)',
    description:
      'Sent as an attachment (`Content-Disposition`). Holds the account, memberships, sessions, ' +
      'invitations, the messages written as an agent, privacy requests and audit events about the caller.',
    ok: { type: PrivacyExportDto, description: 'The export document' },
  })
  async export(@CurrentUser() principal: Principal): Promise<StreamableFile> {
    return downloadOf(await this.accounts.exportAccount(principal));
  }

  @Delete()
  @Authenticated()
  @Endpoint({
    summary:
      'Delete my account (password required). Organizations where I am the only member are deleted with their sites.',
    description:
      'Refused while the caller is the only owner of an organization that has other members. ' +
      'Every session ends; the answer counts the rows deleted per table.',
    ok: { type: ErasureResultDto, description: 'Deleted' },
    errors: {
      WRONG_PASSWORD: 'The password is not correct',
      LAST_OWNER: 'The caller is the only owner of an organization with other members',
    },
    invalid: '`password` is missing',
  })
  erase(
    @CurrentUser() principal: Principal,
    @Body() body: DeleteAccountDto,
    @Req() request: FastifyRequest,
  ): Promise<ErasureResult> {
    return this.accounts.deleteAccount(principal, body.password, request.ip);
  }
}
