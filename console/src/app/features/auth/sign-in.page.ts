import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { MailApi } from '../../core/mail/mail.api';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { authErrorKey } from './auth-errors';
import { AuthFormComponent } from './auth-form.component';
import { SsoSignInComponent } from './sso-sign-in.component';

@Component({
  selector: 'cl-sign-in-page',
  imports: [RouterLink, AuthFormComponent, SsoSignInComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cl-auth-form
      [heading]="'auth.signInTitle' | t"
      [submitLabel]="'auth.signIn' | t"
      [action]="action"
      (submitted)="submit($event)"
    >
      @if (auth.sessionEnded()) {
        <p class="notice" role="status">{{ 'auth.sessionEnded' | t }}</p>
      }
      <label
        >{{ 'auth.email' | t }}
        <input name="email" type="email" autocomplete="username" required />
      </label>
      <label
        >{{ 'auth.password' | t }}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <ng-container ngProjectAs="auth-footer">
        @if (mail.enabled()) {
          <p class="muted">
            <a routerLink="/forgot-password">{{ 'auth.forgotPassword' | t }}</a>
          </p>
        }
        <p class="muted">
          {{ 'auth.noAccount' | t }} <a routerLink="/sign-up">{{ 'auth.signUp' | t }}</a>
        </p>
      </ng-container>
      <cl-sso-sign-in ngProjectAs="auth-after" />
    </cl-auth-form>
  `,
})
export class SignInPage {
  protected readonly auth = inject(AuthStore);
  protected readonly mail = inject(MailApi);
  private readonly router = inject(Router);
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
