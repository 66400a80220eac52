import { API_PREFIX, type AuthResponse, type MeResponse } from '@cloop/contracts';
import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import type { Principal } from '../access/access-policy';
import { Authenticated, Public } from '../access/policies';
import { CurrentUser } from '../access/scopes.decorator';
import { ErrorResponseDto } from '../common/error-response.dto';
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

const invalid = ApiBadRequestResponse({ description: 'Invalid body', type: ErrorResponseDto });

@ApiTags('auth')
@Controller(`${API_PREFIX}/auth`)
@RateLimit('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Public()
  @ApiOperation({ summary: 'Create an account and its organization; returns a signed-in session' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN', type: ErrorResponseDto })
  @ApiForbiddenResponse({
    description: 'SIGNUP_DISABLED: this server signs up invited emails only',
    type: ErrorResponseDto,
  })
  @invalid
  signup(@Body() body: SignupDto): Promise<AuthResponse> {
    return this.auth.signup(body);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({
    description: 'INVALID_CREDENTIALS (same response for unknown email)',
    type: ErrorResponseDto,
  })
  @invalid
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<AuthResponse> {
    return this.auth.login(body, request.ip);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair; a reused token revokes its whole session',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_REFRESH_TOKEN', type: ErrorResponseDto })
  @invalid
  refresh(@Body() body: RefreshDto): Promise<AuthResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: revokes the session of this refresh token and its access tokens' })
  @ApiNoContentResponse()
  @invalid
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('me')
  @Authenticated()
  @RateLimit('admin')
  @ApiOperation({ summary: 'The signed-in user and their organizations with roles' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentUser() principal: Principal): Promise<MeResponse> {
    return this.auth.me(principal);
  }

  @Post('password')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the password; signs out every other session and returns a new one' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiForbiddenResponse({ description: 'WRONG_PASSWORD', type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong current passwords', type: ErrorResponseDto })
  @invalid
  changePassword(
    @CurrentUser() principal: Principal,
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthResponse> {
    return this.auth.changePassword(principal, body, request.ip);
  }
}
