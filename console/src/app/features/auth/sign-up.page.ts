import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { authErrorKey } from './auth-errors';
import { AuthFormComponent } from './auth-form.component';
import { NewAccountFieldsComponent } from './new-account-fields.component';

@Component({
  selector: 'cl-sign-up-page',
  imports: [RouterLink, AuthFormComponent, NewAccountFieldsComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cl-auth-form
      [heading]="'auth.signUpTitle' | t"
      [submitLabel]="'auth.signUp' | t"
      [action]="action"
      (submitted)="submit($event)"
    >
      <cl-new-account-fields />
      <p ngProjectAs="auth-footer" class="muted">
        {{ 'auth.haveAccount' | t }} <a routerLink="/sign-in">{{ 'auth.signIn' | t }}</a>
      </p>
    </cl-auth-form>
  `,
})
export class SignUpPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);
  protected readonly action = new Action(authErrorKey);

  protected async submit(event: Event): Promise<void> {
    const { name = '', email = '', password = '' } = formValues(event);
    await this.action.run(async () => {
      await this.auth.signUp({ name, email, password, locale: this.i18n.locale() });
      await this.router.navigateByUrl('/sites/new');
    });
  }
}
