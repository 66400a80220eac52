import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { MailApi, tokenFromFragment } from '../../core/mail/mail.api';
import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';

@Component({
  selector: 'cl-verify-email-page',
  imports: [RouterLink, PrefsToggleComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="auth-prefs"><cl-prefs-toggle /></div>
      <div class="card auth-card" data-testid="verify-email">
        <h1>{{ 'auth.verifyTitle' | t }}</h1>
        <p
          [class.ok]="state() === 'auth.verified'"
          [class.error]="state() !== 'auth.verified' && state() !== 'auth.verifying'"
          role="status"
        >
          {{ state() | t }}
        </p>
        <p class="muted">
          @if (auth.signedIn()) {
            <a routerLink="/team">{{ 'team.yourInvitations' | t }}</a>
          } @else {
            <a routerLink="/sign-in">{{ 'auth.backToSignIn' | t }}</a>
          }
        </p>
      </div>
    </main>
  `,
})
export class VerifyEmailPage {
  protected readonly auth = inject(AuthStore);
  private readonly mail = inject(MailApi);
  protected readonly state = signal<MessageKey>('auth.verifying');

  constructor() {
    const token = tokenFromFragment(inject(ActivatedRoute).snapshot.fragment);
    if (!token) {
      this.state.set('auth.noToken');
      return;
    }
    this.mail.verifyEmail({ token }).then(
      () => {
        this.state.set('auth.verified');
        if (this.auth.signedIn()) void this.auth.loadMe(true).catch(() => undefined);
      },
      () => this.state.set('auth.verifyInvalid'),
    );
  }
}
