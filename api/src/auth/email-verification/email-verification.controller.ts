import { API_PREFIX, type VerifyEmailRequest } from '@cloop/contracts';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

import type { Principal } from '../../access/access-policy';
import { Authenticated, Public } from '../../access/policies';
import { CurrentUser } from '../../access/scopes.decorator';
import { Endpoint } from '../../openapi/endpoint';
import { RateLimit } from '../../rate-limit/rate-limit.decorator';
import { SIGNED_TOKEN } from '../../mail/signed-links';
import { EmailVerificationService } from './email-verification.service';

export class VerifyEmailDto implements VerifyEmailRequest {
  @ApiProperty({
    description: 'The token from the confirmation link (after `#token=`)',
    example: 'eyJwIjoidmVyaWZ5LWVtYWlsIn0.q2v6Hn0bS8yWcE4tLr7uJd1kXa9PfZ3mGo5iBt2eR6w',
  })
  @IsString()
  @MaxLength(1600)
  @Matches(SIGNED_TOKEN, { message: 'token is not a Cloop confirmation token' })
  token: string;
}

@ApiTags('auth')
@Controller(`${API_PREFIX}/auth/verify-email`)
export class EmailVerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  @Post()
  @Public()
  @RateLimit('auth')
  @Endpoint({
    summary: "Confirm an account's e-mail address with the token of a confirmation link",
    description:
      'Sign-up sends the link when this server sends e-mail. Opening it again is harmless; a link ' +
      'for an address the account no longer has is refused.',
    noContent: 'The address is confirmed',
    errors: { VERIFICATION_TOKEN_INVALID: 'The link is tampered with, expired or for another address' },
    invalid: 'The token is missing or malformed',
  })
  async verify(@Body() body: VerifyEmailDto): Promise<void> {
    await this.verification.verify(body.token);
  }

  @Post('resend')
  @Authenticated()
  @RateLimit('mail')
  @Endpoint({
    summary: 'Send the confirmation link again to the signed-in account',
    description: 'Nothing is sent when the address is already confirmed.',
    noContent: 'A link is on its way unless the address is confirmed',
    errors: { MAIL_DISABLED: 'This server sends no e-mail' },
  })
  async resend(@CurrentUser() principal: Principal): Promise<void> {
    await this.verification.resend(principal);
  }
}
