import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { PASSWORD_MIN_LENGTH } from '@cloop/contracts';
import { map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { errorCode } from '../../core/http/errors';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { MailApi, tokenFromFragment } from '../../core/mail/mail.api';
import { formValues } from '../../shared/ui/form-values';
import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';
import { authErrorKey } from './auth-errors';

@Component({
  selector: 'cl-reset-password-page',
  imports: [RouterLink, PrefsToggleComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="auth-prefs"><cl-prefs-toggle /></div>
      <form class="card auth-card" data-testid="reset-password" (submit)="submit($event)">
        <h1>{{ t('auth.resetTitle') }}</h1>
        @if (done()) {
          <p class="ok" role="status">{{ t('auth.resetDone') }}</p>
        } @else if (!token()) {
          <p class="error" role="alert">{{ t('auth.noToken') }}</p>
        } @else {
          <label
            >{{ t('account.newPassword') }}
            <input
              name="password"
              type="password"
              autocomplete="new-password"
              required
              [attr.minlength]="minLength"
            />
            <small class="muted">{{ t('auth.passwordHint') }}</small>
          </label>
          @if (error(); as key) {
            <p class="error" role="alert">{{ t(key) }}</p>
          }
          <button class="primary" type="submit" [disabled]="busy()">{{ t('auth.setPassword') }}</button>
        }
        <p class="muted">
          <a routerLink="/sign-in">{{ t('auth.backToSignIn') }}</a>
        </p>
      </form>
    </main>
  `,
})
export class ResetPasswordPage {
  private readonly mail = inject(MailApi);
  private readonly auth = inject(AuthStore);
  protected readonly t = inject(I18n).t;
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly token = toSignal(inject(ActivatedRoute).fragment.pipe(map(tokenFromFragment)), {
    initialValue: null,
  });
  protected readonly busy = signal(false);
  protected readonly done = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  protected async submit(event: Event): Promise<void> {
    const token = this.token();
    const { password = '' } = formValues(event);
    if (!token) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.mail.confirmReset({ token, newPassword: password });
      // Every session ended on the server, this one too.
      if (this.auth.signedIn()) this.auth.endSession();
      this.done.set(true);
    } catch (error) {
      this.error.set(errorCode(error) === 'RESET_TOKEN_INVALID' ? 'auth.resetInvalid' : authErrorKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
