import { API_PREFIX, type AuthResponse, type MeResponse } from '@cloop/contracts';
import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { Principal } from '../access/access-policy';
import { Authenticated, Public } from '../access/policies';
import { CurrentUser } from '../access/scopes.decorator';
import { Endpoint } from '../openapi/endpoint';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { AuthService } from './auth.service';
import {
  AuthResponseDto,
  ChangePasswordDto,
  LoginDto,
  MeResponseDto,
  RefreshDto,
  SignupDto,
} from './dto/auth.dto';

const invalid = 'A field is missing or not valid; `details` lists each problem';

@ApiTags('auth')
@Controller(`${API_PREFIX}/auth`)
@RateLimit('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Public()
  @Endpoint({
    summary: 'Create an account and its organization; returns a signed-in session',
    description:
      'Creates the user and an organization they own (named after them), and signs them in: the ' +
      'access token goes in `Authorization: Bearer`, the refresh token to `POST /api/v1/auth/refresh`. ' +
      'On a server with `ALLOW_SIGNUP=false` only invited emails (and the first account) may sign up.',
    // The body's example leaves `invitationToken` out: a made-up link would be refused.
    extraModels: [SignupDto],
    body: {
      schema: {
        allOf: [{ $ref: getSchemaPath(SignupDto) }],
        example: { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada Lovelace' },
      },
    },
    created: { type: AuthResponseDto, description: 'Signed up and signed in' },
    errors: {
      EMAIL_TAKEN: 'An account with this email exists',
      SIGNUP_DISABLED: 'This server signs up invited emails only',
      WEAK_PASSWORD: 'The password is too short, too long, too common or the email itself',
    },
    invalid,
  })
  signup(@Body() body: SignupDto): Promise<AuthResponse> {
    return this.auth.signup(body);
  }

  @Post('login')
  @Public()
  @Endpoint({
    summary: 'Sign in with email and password',
    description:
      'Returns a new session: an access token (15 minutes) and a refresh token (30 days, rotated on ' +
      'every use). A wrong password and an unknown email get the same answer.',
    ok: { type: AuthResponseDto, description: 'Signed in' },
    errors: {
      INVALID_CREDENTIALS: 'The email or the password is wrong (one answer for both)',
      SSO_REQUIRED:
        'Right password, but a member of an "SSO only" organization signs in through its provider',
    },
    invalid,
  })
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<AuthResponse> {
    return this.auth.login(body, request.ip);
  }

  @Post('refresh')
  @Public()
  @Endpoint({
    summary: 'Exchange a refresh token for a new pair; a reused token revokes its whole session',
    description:
      'Each refresh token works once. Presenting one that was already used (a sign of theft) revokes ' +
      'every token of that session, so both the thief and the user must sign in again.',
    ok: { type: AuthResponseDto, description: 'A new access and refresh token' },
    errors: { INVALID_REFRESH_TOKEN: 'The token is unknown, expired, revoked or already used' },
    invalid,
  })
  refresh(@Body() body: RefreshDto): Promise<AuthResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Public()
  @Endpoint({
    summary: 'Sign out: revokes the session of this refresh token and its access tokens',
    description:
      'Answers 204 for an unknown or already revoked token too: signing out twice is not an error.',
    noContent: 'Signed out',
    invalid,
  })
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('me')
  @Authenticated()
  @RateLimit('admin')
  @Endpoint({
    summary: 'The signed-in user and their organizations with roles',
    description: 'What the console loads first: who is signed in and which organizations they can act in.',
    ok: { type: MeResponseDto, description: 'The user and their memberships' },
  })
  me(@CurrentUser() principal: Principal): Promise<MeResponse> {
    return this.auth.me(principal);
  }

  @Post('password')
  @Authenticated()
  @Endpoint({
    summary: 'Change the password; signs out every other session and returns a new one',
    description:
      'Needs the current password. Every refresh and access token issued before stops working; the ' +
      'answer carries a fresh session for the caller.',
    ok: { type: AuthResponseDto, description: 'Changed; a new session' },
    errors: {
      WRONG_PASSWORD: 'The current password is not correct',
      WEAK_PASSWORD: 'The new password is too short, too long, too common or the email itself',
      RATE_LIMITED: 'Too many wrong current passwords; wait for `Retry-After` seconds',
    },
    invalid,
  })
  changePassword(
    @CurrentUser() principal: Principal,
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthResponse> {
    return this.auth.changePassword(principal, body, request.ip);
  }
}
