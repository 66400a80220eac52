import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { MailApi } from '../../core/mail/mail.api';
import type { MessageKey } from '../../core/i18n/messages.en';
import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';
import { formValues } from '../../shared/ui/form-values';
import { authErrorKey } from './auth-errors';
import { SsoSignInComponent } from './sso-sign-in.component';

@Component({
  selector: 'cl-sign-in-page',
  imports: [RouterLink, PrefsToggleComponent, SsoSignInComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="auth-prefs"><cl-prefs-toggle /></div>
      <form class="card auth-card" (submit)="submit($event)">
        <h1>{{ t('auth.signInTitle') }}</h1>
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
        @if (error(); as key) {
          <p class="error" role="alert">{{ t(key) }}</p>
        }
        <button class="primary" type="submit" [disabled]="busy()">
          {{ t('auth.signIn') }}
        </button>
        @if (mail.enabled()) {
          <p class="muted">
            <a routerLink="/forgot-password">{{ t('auth.forgotPassword') }}</a>
          </p>
        }
        <p class="muted">
          {{ t('auth.noAccount') }} <a routerLink="/sign-up">{{ t('auth.signUp') }}</a>
        </p>
      </form>
      <cl-sso-sign-in />
    </main>
  `,
})
export class SignInPage {
  protected readonly auth = inject(AuthStore);
  protected readonly mail = inject(MailApi);
  private readonly router = inject(Router);
  protected readonly t = inject(I18n).t;
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  constructor() {
    void this.mail.loadStatus();
  }

  protected async submit(event: Event): Promise<void> {
    const { email = '', password = '' } = formValues(event);
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.signIn({ email, password });
      this.auth.sessionEnded.set(false);
      await this.router.navigateByUrl('/inbox');
    } catch (error) {
      this.error.set(authErrorKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
