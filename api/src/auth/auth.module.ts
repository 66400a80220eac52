import { createSecretKey } from 'node:crypto';

import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EmailVerificationModule } from './email-verification/email-verification.module';
import { ConsoleJwtStrategy } from './console-jwt.strategy';
import { LoginThrottle } from './login-throttle';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SessionsService } from './sessions.service';
import { SignInChecks } from './sign-in-checks';
import { TokenService } from './token.service';
import { AuditModule } from '../audit/audit.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';

@Module({
  imports: [
    RateLimitModule,
    AuditModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // A key object, made once: given a string, jsonwebtoken tries to read it as a PEM public key
      // on every call before taking it as a secret: milliseconds per token (bench/authentication.mjs).
      useFactory: (config: ResolvedConfig) => ({ secret: createSecretKey(Buffer.from(config.jwtSecret)) }),
    }),
    UsersModule,
    OrganizationsModule,
    EmailVerificationModule,
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    ConsoleJwtStrategy,
    SessionsService,
    TokenService,
    RefreshTokensRepository,
    LoginThrottle,
    SignInChecks,
  ],
  exports: [AuthService, ConsoleJwtStrategy, SessionsService, SignInChecks],
})
export class AuthModule {}
