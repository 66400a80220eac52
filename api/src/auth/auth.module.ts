import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';

import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ConsoleJwtStrategy } from './console-jwt.strategy';
import { LoginThrottle } from './login-throttle';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SessionsService } from './sessions.service';
import { TokenService } from './token.service';

@Module({
  imports: [JwtModule.register({}), UsersModule, OrganizationsModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    ConsoleJwtStrategy,
    SessionsService,
    TokenService,
    RefreshTokensRepository,
    LoginThrottle,
  ],
  exports: [AuthService, ConsoleJwtStrategy],
})
export class AuthModule {}
