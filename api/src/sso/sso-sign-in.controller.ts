import { API_PREFIX, type AuthResponse, type SsoStartResponse } from '@cloop/contracts';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { Public } from '../access/policies';
import { AuthResponseDto } from '../auth/dto/auth.dto';
import { UuidParam } from '../openapi/api-params';
import { Endpoint } from '../openapi/endpoint';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { SsoCallbackDto, SsoStartDto, SsoStartResponseDto } from './dto/sso.dto';
import { SsoSignInService } from './sso-sign-in.service';

const notConfigured = { SSO_NOT_CONFIGURED: 'No organization with single sign-on on matches' };
const providerDown = { SSO_FAILED: 'The identity provider could not be reached or is misconfigured' };

@ApiTags('auth')
@Controller(`${API_PREFIX}/auth/sso`)
@RateLimit('auth')
export class SsoSignInController {
  constructor(private readonly signIn: SsoSignInService) {}

  @Post('start')
  @Public()
  @Endpoint({
    summary: 'Start single sign-on for an e-mail address: where to send the browser',
    description:
      "The address's domain finds the organization. The browser then goes to `authorizationUrl` " +
      '(authorization code flow with PKCE, `state` and `nonce`, kept on the server for ten minutes).',
    ok: { type: SsoStartResponseDto, description: "The provider's authorization URL" },
    errors: { ...notConfigured, ...providerDown },
    invalid: '`email` is not an e-mail address',
  })
  startForEmail(@Body() body: SsoStartDto): Promise<SsoStartResponse> {
    return this.signIn.start({ email: body.email });
  }

  @Post('organizations/:orgId/start')
  @Public()
  @Endpoint({
    summary: 'Start single sign-on for one organization: where to send the browser',
    description: 'For a sign-in link an organization gives its staff; otherwise as by e-mail.',
    ok: { type: SsoStartResponseDto, description: "The provider's authorization URL" },
    errors: { ...notConfigured, ...providerDown },
    invalid: '`orgId` is not a UUID',
  })
  startForOrganization(@UuidParam('orgId') organizationId: string): Promise<SsoStartResponse> {
    return this.signIn.start({ organizationId });
  }

  @Post('callback')
  @Public()
  @Endpoint({
    summary: 'Finish single sign-on: the console hands over what the provider sent back; returns a session',
    description:
      "The provider sends the browser back to the console's `sso-callback` page (the redirect URI), " +
      'which posts its query string here. Checks `state` (once, within ten minutes), exchanges the ' +
      'code with the PKCE verifier, verifies the ID token (signature, `iss`, `aud`, `exp`, `nonce`) ' +
      'and the allowed domains, provisions a new person with the configured role, and answers with ' +
      'the same session a password sign-in returns. Such sessions are re-checked with the provider ' +
      'at refresh, at least hourly.',
    ok: { type: AuthResponseDto, description: 'Signed in' },
    errors: {
      SSO_FAILED:
        'Unknown, used or expired `state`, or the provider or its ID token did not confirm the sign-in',
      SSO_DOMAIN_NOT_ALLOWED: "The address's domain is not among the organization's allowed domains",
      SSO_NOT_CONFIGURED: 'Single sign-on was turned off meanwhile',
    },
    invalid: '`query` is missing',
  })
  callback(@Body() body: SsoCallbackDto): Promise<AuthResponse> {
    return this.signIn.callback(body.query);
  }
}
