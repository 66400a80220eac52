import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import { errorCode } from '../../core/http/errors';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { MailApi } from '../../core/mail/mail.api';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { authErrorKey } from './auth-errors';
import { AuthFormComponent } from './auth-form.component';

@Component({
  selector: 'cl-forgot-password-page',
  imports: [RouterLink, AuthFormComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cl-auth-form
      testId="forgot-password"
      [heading]="'auth.forgotTitle' | t"
      [submitLabel]="mail.enabled() === false || sent() ? null : ('auth.sendResetLink' | t)"
      [action]="action"
      (submitted)="submit($event)"
    >
      @if (mail.enabled() === false) {
        <p class="notice" role="status">{{ 'auth.mailOff' | t }}</p>
      } @else if (sent()) {
        <p class="ok" role="status">{{ 'auth.resetSent' | t }}</p>
      } @else {
        <p class="muted">{{ 'auth.forgotHint' | t }}</p>
        <label
          >{{ 'auth.email' | t }}
          <input name="email" type="email" autocomplete="username" required />
        </label>
      }
      <p ngProjectAs="auth-footer" class="muted">
        <a routerLink="/sign-in">{{ 'auth.backToSignIn' | t }}</a>
      </p>
    </cl-auth-form>
  `,
})
export class ForgotPasswordPage {
  protected readonly mail = inject(MailApi);
  protected readonly sent = signal(false);
  protected readonly action = new Action((error) => {
    if (errorCode(error) !== 'MAIL_DISABLED') return authErrorKey(error);
    this.mail.markDisabled(); // the page says e-mail is off instead of showing an error
    return null;
  });

  constructor() {
    void this.mail.loadStatus();
  }

  protected async submit(event: Event): Promise<void> {
    const { email = '' } = formValues(event);
    await this.action.run(async () => {
      await this.mail.requestReset({ email });
      this.sent.set(true);
    });
  }
}
