import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { PASSWORD_MIN_LENGTH } from '@cloop/contracts';
import { map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { MailApi, tokenFromFragment } from '../../core/mail/mail.api';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { authErrorKey } from './auth-errors';
import { AuthFormComponent } from './auth-form.component';

@Component({
  selector: 'cl-reset-password-page',
  imports: [RouterLink, AuthFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cl-auth-form
      testId="reset-password"
      [heading]="t('auth.resetTitle')"
      [submitLabel]="done() || !token() ? null : t('auth.setPassword')"
      [action]="action"
      (submitted)="submit($event)"
    >
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
      }
      <p ngProjectAs="auth-footer" class="muted">
        <a routerLink="/sign-in">{{ t('auth.backToSignIn') }}</a>
      </p>
    </cl-auth-form>
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
  protected readonly done = signal(false);
  /** `authErrorKey` also names a used or expired link (`RESET_TOKEN_INVALID`). */
  protected readonly action = new Action(authErrorKey);

  protected async submit(event: Event): Promise<void> {
    const token = this.token();
    const { password = '' } = formValues(event);
    if (!token) return;
    await this.action.run(async () => {
      await this.mail.confirmReset({ token, newPassword: password });
      // Every session ended on the server, this one too.
      if (this.auth.signedIn()) this.auth.endSession();
      this.done.set(true);
    });
  }
}
