import {
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  type PasswordResetConfirmRequest,
  type PasswordResetRequest,
} from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';

export class PasswordResetDto implements PasswordResetRequest {
  @ApiProperty({ example: 'ada@example.com', maxLength: EMAIL_MAX_LENGTH })
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;
}

export class PasswordResetConfirmDto implements PasswordResetConfirmRequest {
  @ApiProperty({
    description: 'The token from the link in the reset e-mail (after `#token=`)',
    example: 'q2v6Hn0bS8yWcE4tLr7uJd1kXa9PfZ3mGo5iBt2eR6w',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token is not a Cloop reset token' })
  token: string;

  @ApiProperty({
    example: 'a longer passphrase nobody guesses',
    minLength: 8,
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  newPassword: string;
}
