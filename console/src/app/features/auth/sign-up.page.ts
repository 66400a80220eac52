import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { PASSWORD_MIN_LENGTH } from '@cloop/contracts';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { formValues } from '../../shared/ui/form-values';
import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';
import { authErrorKey } from './auth-errors';

@Component({
  selector: 'cl-sign-up-page',
  imports: [RouterLink, PrefsToggleComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="auth-prefs"><cl-prefs-toggle /></div>
      <form class="card auth-card" (submit)="submit($event)">
        <h1>{{ t('auth.signUpTitle') }}</h1>
        <label
          >{{ t('auth.name') }}
          <input name="name" autocomplete="name" required maxlength="100" />
        </label>
        <label
          >{{ t('auth.email') }}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label
          >{{ t('auth.password') }}
          <input
            name="password"
            type="password"
            autocomplete="new-password"
            required
            [attr.minlength]="minLength"
            aria-describedby="password-hint"
          />
          <small id="password-hint" class="muted">{{ t('auth.passwordHint') }}</small>
        </label>
        @if (error(); as key) {
          <p class="error" role="alert">{{ t(key) }}</p>
        }
        <button class="primary" type="submit" [disabled]="busy()">{{ t('auth.signUp') }}</button>
        <p class="muted">
          {{ t('auth.haveAccount') }} <a routerLink="/sign-in">{{ t('auth.signIn') }}</a>
        </p>
      </form>
    </main>
  `,
})
export class SignUpPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  protected async submit(event: Event): Promise<void> {
    const { name = '', email = '', password = '' } = formValues(event);
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.signUp({ name, email, password, locale: this.i18n.locale() });
      await this.router.navigateByUrl('/sites/new');
    } catch (error) {
      this.error.set(authErrorKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
