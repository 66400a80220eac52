import { ChangeDetectionStrategy, Component } from '@angular/core';
import { PASSWORD_MIN_LENGTH } from '@cloop/contracts';

import { TranslatePipe } from '../../core/i18n/t.pipe';

/**
 * Name, e-mail and a new password: the fields of every form that makes an account (sign-up, and
 * sign-up through an invitation). Its host box is dropped (`.new-account-fields` in styles.css), so
 * the fields sit in the card's grid; an inline style would break the console's CSP.
 */
@Component({
  selector: 'cl-new-account-fields',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'new-account-fields' },
  template: `
    <label
      >{{ 'auth.name' | t }}
      <input name="name" autocomplete="name" required maxlength="100" />
    </label>
    <label
      >{{ 'auth.email' | t }}
      <input name="email" type="email" autocomplete="username" required />
    </label>
    <label
      >{{ 'auth.password' | t }}
      <input
        name="password"
        type="password"
        autocomplete="new-password"
        required
        [attr.minlength]="minLength"
        aria-describedby="password-hint"
      />
      <small id="password-hint" class="muted">{{ 'auth.passwordHint' | t }}</small>
    </label>
  `,
})
export class NewAccountFieldsComponent {
  protected readonly minLength = PASSWORD_MIN_LENGTH;
}
