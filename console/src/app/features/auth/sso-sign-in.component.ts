import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { SsoApi } from '../sso/sso.api';
import { ssoErrorKey } from '../sso/sso-errors';

/**
 * "Sign in with your organization": the address's domain finds the organization, then the browser
 * goes to its identity provider, which sends it back to the `sso-callback` page.
 */
@Component({
  selector: 'cl-sso-sign-in',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Under the password form, in the sign-in page's centred column, as wide as that form (the
  // console's CSP allows no component styles: the global class sizes the host).
  host: { class: 'auth-card' },
  template: `
    <form class="card stack" data-testid="sso-sign-in" (submit)="start($event)">
      <h2>{{ 'sso.signInTitle' | t }}</h2>
      <p class="muted">{{ 'sso.signInHint' | t }}</p>
      <label
        >{{ 'auth.email' | t }}
        <input name="email" type="email" autocomplete="username" required data-testid="sso-email" />
      </label>
      @if (action.error(); as key) {
        <p class="error" role="alert">{{ key | t }}</p>
      }
      <button type="submit" [disabled]="action.busy()" data-testid="sso-start">{{ 'sso.signIn' | t }}</button>
    </form>
  `,
})
export class SsoSignInComponent {
  private readonly api = inject(SsoApi);
  protected readonly action = new Action(ssoErrorKey);

  protected async start(event: Event): Promise<void> {
    const { email = '' } = formValues(event);
    await this.action.run(async () => {
      const { authorizationUrl } = await this.api.start({ email });
      window.location.assign(authorizationUrl);
    });
  }
}
