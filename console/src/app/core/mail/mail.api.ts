import { HttpClient } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import type {
  MailPreferences,
  MailStatus,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  VerifyEmailRequest,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

/** E-mail: whether the server sends any, the user's preferences, reset and confirmation links. */
@Injectable({ providedIn: 'root' })
export class MailApi {
  private readonly http = inject(HttpClient);
  private readonly enabledValue = signal<boolean | null>(null);
  /** `null` until known; asked once per page load (it changes only when the server restarts). */
  readonly enabled = this.enabledValue.asReadonly();
  private loading: Promise<boolean> | null = null;

  loadStatus(): Promise<boolean> {
    this.loading ??= firstValueFrom(this.http.get<MailStatus>(route('/api/v1/mail/status'))).then(
      (status) => {
        this.enabledValue.set(status.enabled);
        return status.enabled;
      },
      () => {
        this.loading = null;
        return false;
      },
    );
    return this.loading;
  }

  /** The server answered `MAIL_DISABLED`: it sends no e-mail, whatever the status said before. */
  markDisabled(): void {
    this.enabledValue.set(false);
  }

  preferences(): Promise<MailPreferences> {
    return firstValueFrom(this.http.get<MailPreferences>(route('/api/v1/mail/preferences')));
  }

  savePreferences(body: MailPreferences): Promise<MailPreferences> {
    return firstValueFrom(this.http.put<MailPreferences>(route('/api/v1/mail/preferences'), body));
  }

  requestReset(body: PasswordResetRequest): Promise<unknown> {
    return firstValueFrom(this.http.post(route('/api/v1/auth/password-reset'), body));
  }

  confirmReset(body: PasswordResetConfirmRequest): Promise<unknown> {
    return firstValueFrom(this.http.post(route('/api/v1/auth/password-reset/confirm'), body));
  }

  verifyEmail(body: VerifyEmailRequest): Promise<unknown> {
    return firstValueFrom(this.http.post(route('/api/v1/auth/verify-email'), body));
  }

  resendVerification(): Promise<unknown> {
    return firstValueFrom(this.http.post(route('/api/v1/auth/verify-email/resend'), {}));
  }
}

/** The token of a link from an e-mail: it travels after `#token=` so no server ever logs it. */
export function tokenFromFragment(fragment: string | null): string | null {
  const match = /(?:^|&)token=([A-Za-z0-9_.-]+)/.exec(fragment ?? '');
  return match?.[1] ?? null;
}
