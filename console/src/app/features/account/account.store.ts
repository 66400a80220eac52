import { inject, Injectable, signal } from '@angular/core';
import type { ErrorCode, MailPreferences } from '@cloop/contracts';

import { AuthApi } from '../../core/auth/auth.api';
import { AuthStore } from '../../core/auth/auth.store';
import { saveDownload } from '../../core/http/download';
import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';
import { MailApi } from '../../core/mail/mail.api';
import { NoticeAction } from '../../core/state/action';

/** The signed-in user's own account: password, data export, deletion. */
@Injectable()
export class AccountStore {
  private readonly api = inject(AuthApi);
  private readonly auth = inject(AuthStore);
  private readonly mail = inject(MailApi);
  private readonly action = new NoticeAction((error) => accountErrorKey(errorCode(error)));
  private readonly preferencesValue = signal<MailPreferences | null>(null);
  readonly busy = this.action.busy;
  readonly message = this.action.notice;
  readonly preferences = this.preferencesValue.asReadonly();

  async loadPreferences(): Promise<void> {
    this.preferencesValue.set(await this.mail.preferences());
  }

  savePreferences(preferences: MailPreferences): Promise<boolean> {
    return this.run(async () => {
      this.preferencesValue.set(await this.mail.savePreferences(preferences));
      return 'app.saved';
    });
  }

  resendVerification(): Promise<boolean> {
    return this.run(async () => {
      await this.mail.resendVerification();
      return 'account.verificationSent';
    });
  }

  /** The server signs out every other session and hands this one a new pair. */
  changePassword(currentPassword: string, newPassword: string): Promise<boolean> {
    return this.run(async () => {
      this.auth.accept(await this.api.changePassword({ currentPassword, newPassword }));
      return 'account.passwordChanged';
    });
  }

  exportMyData(): Promise<boolean> {
    return this.run(async () => {
      saveDownload(await this.api.exportMyData(), 'cloop-account-export.json');
      return 'privacy.exported';
    });
  }

  async deleteAccount(password: string): Promise<boolean> {
    const done = await this.run(async () => {
      await this.api.deleteAccount(password);
      return 'app.saved';
    });
    if (done) this.auth.endSession();
    return done;
  }

  private run(work: () => Promise<MessageKey>): Promise<boolean> {
    return this.action.say(work);
  }
}

function accountErrorKey(code: ErrorCode | null): MessageKey {
  if (code === 'WRONG_PASSWORD' || code === 'INVALID_CREDENTIALS') return 'account.wrongPassword';
  if (code === 'WEAK_PASSWORD') return 'auth.weakPassword';
  if (code === 'RATE_LIMITED') return 'auth.rateLimited';
  return 'app.error';
}
