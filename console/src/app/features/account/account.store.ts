import { inject, Injectable, signal } from '@angular/core';
import type { MailPreferences } from '@cloop/contracts';

import { AuthApi } from '../../core/auth/auth.api';
import { AuthStore } from '../../core/auth/auth.store';
import { saveDownload } from '../../core/http/download';
import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';
import { MailApi } from '../../core/mail/mail.api';

/** The signed-in user's own account: password, data export, deletion. */
@Injectable()
export class AccountStore {
  private readonly api = inject(AuthApi);
  private readonly auth = inject(AuthStore);
  readonly busy = signal(false);
  readonly message = signal<{ key: MessageKey; error: boolean } | null>(null);
  private readonly mail = inject(MailApi);
  readonly preferences = signal<MailPreferences | null>(null);

  async loadPreferences(): Promise<void> {
    this.preferences.set(await this.mail.preferences());
  }

  savePreferences(preferences: MailPreferences): Promise<boolean> {
    return this.run(async () => {
      this.preferences.set(await this.mail.savePreferences(preferences));
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

  private async run(work: () => Promise<MessageKey>): Promise<boolean> {
    this.busy.set(true);
    this.message.set(null);
    try {
      this.message.set({ key: await work(), error: false });
      return true;
    } catch (error) {
      const code = errorCode(error);
      const key: MessageKey =
        code === 'WRONG_PASSWORD' || code === 'INVALID_CREDENTIALS'
          ? 'account.wrongPassword'
          : code === 'WEAK_PASSWORD'
            ? 'auth.weakPassword'
            : code === 'RATE_LIMITED'
              ? 'auth.rateLimited'
              : 'app.error';
      this.message.set({ key, error: true });
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
