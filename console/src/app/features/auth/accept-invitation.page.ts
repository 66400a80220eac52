import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { PASSWORD_MIN_LENGTH } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { errorCode } from '../../core/http/errors';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { tokenFromFragment } from '../../core/mail/mail.api';
import { formValues } from '../../shared/ui/form-values';
import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';
import { TeamApi } from '../team/team.api';
import { authErrorKey } from './auth-errors';

/**
 * Where an invitation link lands: a new person signs up with it (which proves the address and
 * joins); someone signed in takes it up with their account.
 */
@Component({
  selector: 'cl-accept-invitation-page',
  imports: [RouterLink, PrefsToggleComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="auth-prefs"><cl-prefs-toggle /></div>
      <form class="card auth-card" data-testid="accept-invitation" (submit)="submit($event)">
        <h1>{{ t('auth.invitationTitle') }}</h1>
        @if (!token) {
          <p class="error" role="alert">{{ t('auth.noToken') }}</p>
        } @else if (auth.signedIn()) {
          <p class="muted">{{ t('auth.invitationSignedIn') }}</p>
          @if (error(); as key) {
            <p class="error" role="alert">{{ t(key) }}</p>
          }
          <button class="primary" type="submit" [disabled]="busy()">{{ t('auth.acceptInvitation') }}</button>
        } @else {
          <p class="muted">{{ t('auth.invitationHint') }}</p>
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
            />
            <small class="muted">{{ t('auth.passwordHint') }}</small>
          </label>
          @if (error(); as key) {
            <p class="error" role="alert">{{ t(key) }}</p>
          }
          <button class="primary" type="submit" [disabled]="busy()">{{ t('auth.signUp') }}</button>
          <p class="muted">
            {{ t('auth.invitationHaveAccount') }} <a routerLink="/sign-in">{{ t('auth.signIn') }}</a>
          </p>
        }
      </form>
    </main>
  `,
})
export class AcceptInvitationPage {
  protected readonly auth = inject(AuthStore);
  private readonly team = inject(TeamApi);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);
  protected readonly t = this.i18n.t;
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly token = tokenFromFragment(inject(ActivatedRoute).snapshot.fragment);
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  protected async submit(event: Event): Promise<void> {
    if (!this.token) return;
    const { name = '', email = '', password = '' } = formValues(event);
    this.busy.set(true);
    this.error.set(null);
    try {
      if (this.auth.signedIn()) {
        await this.team.acceptLink(this.token);
        await this.auth.loadMe(true);
        await this.router.navigateByUrl('/team');
      } else {
        await this.auth.signUp({
          name,
          email,
          password,
          locale: this.i18n.locale(),
          invitationToken: this.token,
        });
        await this.router.navigateByUrl('/inbox');
      }
    } catch (error) {
      this.error.set(
        errorCode(error) === 'INVITATION_LINK_INVALID' ? 'auth.invitationInvalid' : authErrorKey(error),
      );
    } finally {
      this.busy.set(false);
    }
  }
}
