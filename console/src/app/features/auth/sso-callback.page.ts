import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import type { MessageKey } from '../../core/i18n/messages.en';
import { SsoApi } from '../sso/sso.api';
import { ssoErrorKey } from '../sso/sso-errors';

/**
 * Where the identity provider sends the browser back (the redirect URI owners register). The
 * provider's one-time code and state go to the API in a POST body; the session comes back in the
 * answer, never in a URL. The query is removed from the address bar straight away.
 */
@Component({
  selector: 'cl-sso-callback-page',
  imports: [RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="card auth-card stack" data-testid="sso-callback">
        <h1>{{ 'sso.signInTitle' | t }}</h1>
        @if (error(); as key) {
          <p class="error" role="alert" data-testid="sso-callback-error">{{ key | t }}</p>
          <p>
            <a routerLink="/sign-in">{{ 'sso.backToSignIn' | t }}</a>
          </p>
        } @else {
          <p role="status">{{ 'sso.finishing' | t }}</p>
        }
      </div>
    </main>
  `,
})
export class SsoCallbackPage {
  private readonly api = inject(SsoApi);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  protected readonly error = signal<MessageKey | null>(null);

  constructor() {
    const query = window.location.search;
    window.history.replaceState(null, '', window.location.pathname);
    void this.finish(query);
  }

  private async finish(query: string): Promise<void> {
    if (!query) {
      this.error.set('sso.error.failed');
      return;
    }
    try {
      this.auth.acceptSignIn(await this.api.callback({ query }));
      await this.router.navigateByUrl('/inbox');
    } catch (error) {
      this.error.set(ssoErrorKey(error));
    }
  }
}
