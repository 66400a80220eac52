import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { PASSWORD_MIN_LENGTH } from '@cloop/contracts';
import { map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { MailApi, tokenFromFragment } from '../../core/mail/mail.api';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { authErrorKey } from './auth-errors';
import { AuthFormComponent } from './auth-form.component';

@Component({
  selector: 'cl-reset-password-page',
  imports: [RouterLink, AuthFormComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cl-auth-form
      testId="reset-password"
      [heading]="'auth.resetTitle' | t"
      [submitLabel]="done() || !token() ? null : ('auth.setPassword' | t)"
      [action]="action"
      (submitted)="submit($event)"
    >
      @if (done()) {
        <p class="ok" role="status">{{ 'auth.resetDone' | t }}</p>
      } @else if (!token()) {
        <p class="error" role="alert">{{ 'auth.noToken' | t }}</p>
      } @else {
        <label
          >{{ 'account.newPassword' | t }}
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            required
            [attr.minlength]="minLength"
          />
          <small class="muted">{{ 'auth.passwordHint' | t }}</small>
        </label>
      }
      <p ngProjectAs="auth-footer" class="muted">
        <a routerLink="/sign-in">{{ 'auth.backToSignIn' | t }}</a>
      </p>
    </cl-auth-form>
  `,
})
export class ResetPasswordPage {
  private readonly mail = inject(MailApi);
  private readonly auth = inject(AuthStore);
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
