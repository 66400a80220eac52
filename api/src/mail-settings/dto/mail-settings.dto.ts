import { MAIL_LOCALES, type MailLocale, type MailPreferences, type MailStatus } from '@cloop/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';

export class MailStatusDto implements MailStatus {
  @ApiProperty({ example: true, description: '`false`: no `SMTP_URL`/`MAIL_FROM`, Cloop sends no e-mail' })
  enabled: boolean;
}

export class MailPreferencesDto implements MailPreferences {
  @ApiProperty({
    example: true,
    description: "An e-mail when a visitor of one of the user's organizations' sites asks for contact",
  })
  @IsBoolean()
  leadNotifications: boolean;

  @ApiProperty({ enum: MAIL_LOCALES, example: 'fi', description: 'The language of their e-mail' })
  @IsIn(MAIL_LOCALES)
  locale: MailLocale;
}
