import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';

import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { formValues } from '../../shared/ui/form-values';
import { SsoApi } from '../sso/sso.api';
import { ssoErrorKey } from '../sso/sso-errors';

/**
 * "Sign in with your organization": the address's domain finds the organization, then the browser
 * goes to its identity provider, which sends it back to the `sso-callback` page.
 */
@Component({
  selector: 'cl-sso-sign-in',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Under the password form, in the sign-in page's centred column, as wide as that form (the
  // console's CSP allows no component styles: the global class sizes the host).
  host: { class: 'auth-card' },
  template: `
    <form class="card stack" data-testid="sso-sign-in" (submit)="start($event)">
      <h2>{{ t('sso.signInTitle') }}</h2>
      <p class="muted">{{ t('sso.signInHint') }}</p>
      <label
        >{{ t('auth.email') }}
        <input name="email" type="email" autocomplete="username" required data-testid="sso-email" />
      </label>
      @if (error(); as key) {
        <p class="error" role="alert">{{ t(key) }}</p>
      }
      <button type="submit" [disabled]="busy()" data-testid="sso-start">{{ t('sso.signIn') }}</button>
    </form>
  `,
})
export class SsoSignInComponent {
  private readonly api = inject(SsoApi);
  protected readonly t = inject(I18n).t;
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  protected async start(event: Event): Promise<void> {
    const { email = '' } = formValues(event);
    this.busy.set(true);
    this.error.set(null);
    try {
      const { authorizationUrl } = await this.api.start({ email });
      window.location.assign(authorizationUrl);
    } catch (error) {
      this.error.set(ssoErrorKey(error));
      this.busy.set(false);
    }
  }
}
