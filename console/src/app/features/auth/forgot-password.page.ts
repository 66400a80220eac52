import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import { errorCode } from '../../core/http/errors';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { MailApi } from '../../core/mail/mail.api';
import { formValues } from '../../shared/ui/form-values';
import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';
import { authErrorKey } from './auth-errors';

@Component({
  selector: 'cl-forgot-password-page',
  imports: [RouterLink, PrefsToggleComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="auth-prefs"><cl-prefs-toggle /></div>
      <form class="card auth-card" data-testid="forgot-password" (submit)="submit($event)">
        <h1>{{ t('auth.forgotTitle') }}</h1>
        @if (mail.enabled() === false) {
          <p class="notice" role="status">{{ t('auth.mailOff') }}</p>
        } @else if (sent()) {
          <p class="ok" role="status">{{ t('auth.resetSent') }}</p>
        } @else {
          <p class="muted">{{ t('auth.forgotHint') }}</p>
          <label
            >{{ t('auth.email') }}
            <input name="email" type="email" autocomplete="username" required />
          </label>
          @if (error(); as key) {
            <p class="error" role="alert">{{ t(key) }}</p>
          }
          <button class="primary" type="submit" [disabled]="busy()">{{ t('auth.sendResetLink') }}</button>
        }
        <p class="muted">
          <a routerLink="/sign-in">{{ t('auth.backToSignIn') }}</a>
        </p>
      </form>
    </main>
  `,
})
export class ForgotPasswordPage {
  protected readonly mail = inject(MailApi);
  protected readonly t = inject(I18n).t;
  protected readonly busy = signal(false);
  protected readonly sent = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  constructor() {
    void this.mail.loadStatus();
  }

  protected async submit(event: Event): Promise<void> {
    const { email = '' } = formValues(event);
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.mail.requestReset({ email });
      this.sent.set(true);
    } catch (error) {
      if (errorCode(error) === 'MAIL_DISABLED') this.mail.enabled.set(false);
      else this.error.set(authErrorKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
