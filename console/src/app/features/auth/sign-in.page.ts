import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { MailApi } from '../../core/mail/mail.api';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { authErrorKey } from './auth-errors';
import { AuthFormComponent } from './auth-form.component';

@Component({
  selector: 'cl-sign-in-page',
  imports: [RouterLink, AuthFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cl-auth-form
      [heading]="t('auth.signInTitle')"
      [submitLabel]="t('auth.signIn')"
      [action]="action"
      (submitted)="submit($event)"
    >
      @if (auth.sessionEnded()) {
        <p class="notice" role="status">{{ t('auth.sessionEnded') }}</p>
      }
      <label
        >{{ t('auth.email') }}
        <input name="email" type="email" autocomplete="username" required />
      </label>
      <label
        >{{ t('auth.password') }}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <ng-container ngProjectAs="auth-footer">
        @if (mail.enabled()) {
          <p class="muted">
            <a routerLink="/forgot-password">{{ t('auth.forgotPassword') }}</a>
          </p>
        }
        <p class="muted">
          {{ t('auth.noAccount') }} <a routerLink="/sign-up">{{ t('auth.signUp') }}</a>
        </p>
      </ng-container>
    </cl-auth-form>
  `,
})
export class SignInPage {
  protected readonly auth = inject(AuthStore);
  protected readonly mail = inject(MailApi);
  private readonly router = inject(Router);
  protected readonly t = inject(I18n).t;
  protected readonly action = new Action(authErrorKey);

  constructor() {
    void this.mail.loadStatus();
  }

  protected async submit(event: Event): Promise<void> {
    const { email = '', password = '' } = formValues(event);
    await this.action.run(async () => {
      await this.auth.signIn({ email, password });
      await this.router.navigateByUrl('/inbox');
    });
  }
}
