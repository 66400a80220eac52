import { API_PREFIX } from '@cloop/contracts';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Public } from '../../access/policies';
import { Endpoint } from '../../openapi/endpoint';
import { RateLimit } from '../../rate-limit/rate-limit.decorator';
import { PasswordResetConfirmDto, PasswordResetDto } from './password-reset.dto';
import { PasswordResetService } from './password-reset.service';

const invalid = 'A field is missing or not valid; `details` lists each problem';

@ApiTags('auth')
@Controller(`${API_PREFIX}/auth/password-reset`)
@RateLimit('mail')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post()
  @Public()
  @Endpoint({
    summary: 'E-mail a password reset link',
    description:
      'Answers 204 whether or not the address has an account (the same answer, in about the same ' +
      'time): a link is e-mailed only to an existing account. The link works once, for 30 minutes. ' +
      'On a server without e-mail (`SMTP_URL` unset) it answers 409 `MAIL_DISABLED` for every address.',
    noContent: 'If the address has an account, a link is on its way',
    errors: {
      MAIL_DISABLED: 'This server sends no e-mail; an operator resets passwords (`cloop user:password`)',
    },
    invalid,
  })
  async request(@Body() body: PasswordResetDto): Promise<void> {
    await this.resets.request(body.email);
  }

  @Post('confirm')
  @Public()
  @Endpoint({
    summary: 'Set a new password with the token of a reset link',
    description:
      'Every session, refresh and access token of the account ends; sign in with the new password. ' +
      'The token works once: every other reset link of the account stops working too.',
    noContent: 'The password is changed',
    errors: {
      RESET_TOKEN_INVALID: 'The link is unknown, expired or already used',
      WEAK_PASSWORD: 'The new password is too short, too long, too common or the email itself',
    },
    invalid,
  })
  async confirm(@Body() body: PasswordResetConfirmDto): Promise<void> {
    await this.resets.confirm(body);
  }
}
