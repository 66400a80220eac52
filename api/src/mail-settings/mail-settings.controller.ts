import { API_PREFIX, type MailPreferences, type MailStatus } from '@cloop/contracts';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '../access/access-policy';
import { Authenticated, Public } from '../access/policies';
import { CurrentUser } from '../access/scopes.decorator';
import { Endpoint } from '../openapi/endpoint';
import { MailPreferencesDto, MailStatusDto } from './dto/mail-settings.dto';
import { MailSettingsService } from './mail-settings.service';

@ApiTags('mail')
@Controller(`${API_PREFIX}/mail`)
export class MailSettingsController {
  constructor(private readonly mail: MailSettingsService) {}

  @Get('status')
  @Public()
  @Endpoint({
    summary: 'Whether this server sends e-mail',
    description:
      'The console asks before sign-in: with e-mail off it hides "Forgot password" and says so on ' +
      'the team page. Nothing else about the mail server is told.',
    ok: { type: MailStatusDto, description: 'On or off' },
  })
  status(): MailStatus {
    return this.mail.status();
  }

  @Get('preferences')
  @Authenticated()
  @Endpoint({
    summary: "The signed-in user's e-mail preferences",
    description: 'Whether they get lead notifications, and the language of their e-mail.',
    ok: { type: MailPreferencesDto, description: 'Their preferences' },
  })
  preferences(@CurrentUser() principal: Principal): Promise<MailPreferences> {
    return this.mail.preferences(principal);
  }

  @Put('preferences')
  @Authenticated()
  @Endpoint({
    summary: "Change the signed-in user's e-mail preferences",
    description: 'Lead notifications on or off, and the language of their e-mail.',
    ok: { type: MailPreferencesDto, description: 'The preferences as stored' },
    invalid: 'A field is missing or not valid; `details` lists each problem',
  })
  updatePreferences(
    @CurrentUser() principal: Principal,
    @Body() body: MailPreferencesDto,
  ): Promise<MailPreferences> {
    return this.mail.updatePreferences(principal, body);
  }
}
