import { HttpErrorResponse } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { AuthResponse, LoginRequest, MeResponse, SignupRequest } from '@cloop/contracts';

import { ConsoleStorage } from '../storage';
import { AuthApi } from './auth.api';

/**
 * The signed-in session. Tokens live in `localStorage` under the policy's keys (DESIGN §11) and
 * nowhere else. Refreshing is single-flight: refresh tokens rotate and a reused one revokes the
 * whole family, so every caller that meets a 401 at the same moment must share one refresh call.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(AuthApi);
  private readonly storage = inject(ConsoleStorage);
  private readonly router = inject(Router);

  private readonly access = signal<string | null>(this.storage.get('accessToken'));
  private readonly refreshTokenValue = signal<string | null>(this.storage.get('refreshToken'));
  private readonly meValue = signal<MeResponse | null>(null);
  private refreshing: Promise<string> | null = null;

  readonly accessToken = this.access.asReadonly();
  readonly me = this.meValue.asReadonly();
  readonly signedIn = computed(() => this.refreshTokenValue() !== null);
  private readonly sessionEndedValue = signal(false);
  /** Set when a refresh failed and the user was signed out for it, until the next sign-in. */
  readonly sessionEnded = this.sessionEndedValue.asReadonly();

  async signIn(credentials: LoginRequest): Promise<void> {
    this.acceptSignIn(await this.api.signIn(credentials));
  }

  /** A session a provider's sign-in started (`sso-callback`): like `signIn`'s. */
  acceptSignIn(response: AuthResponse): void {
    this.accept(response);
    this.sessionEndedValue.set(false);
  }

  async signUp(details: SignupRequest): Promise<void> {
    this.accept(await this.api.signUp(details));
  }

  /** The caller's user and organizations; loaded once per session, reloaded on demand. */
  async loadMe(force = false): Promise<MeResponse> {
    const known = this.meValue();
    if (known && !force) return known;
    const me = await this.api.me();
    this.meValue.set(me);
    return me;
  }

  /**
   * Exchanges the refresh token for a new pair; concurrent callers get the same promise. A refresh
   * the server rejects signs the user out; a network failure leaves the session for a later try.
   */
  refresh(): Promise<string> {
    if (this.refreshing) return this.refreshing;
    const refreshToken = this.refreshTokenValue();
    if (!refreshToken) return Promise.reject(new Error('not signed in'));
    this.refreshing = this.api
      .refresh(refreshToken)
      .then((response) => {
        this.accept(response);
        return response.accessToken;
      })
      .catch((error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status >= 400 && error.status < 500) {
          this.sessionEndedValue.set(true);
          this.endSession();
        }
        throw error;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** Revokes the refresh token on the server, then forgets the session whatever the answer. */
  async signOut(): Promise<void> {
    const refreshToken = this.refreshTokenValue();
    this.sessionEndedValue.set(false);
    this.endSession();
    if (refreshToken) await this.api.signOut(refreshToken).catch(() => undefined);
  }

  /** A new pair from signup, login, refresh or a password change. */
  accept(response: AuthResponse): void {
    this.storage.set('accessToken', response.accessToken);
    this.storage.set('refreshToken', response.refreshToken);
    this.access.set(response.accessToken);
    this.refreshTokenValue.set(response.refreshToken);
  }

  /** Forgets the tokens, the user and the selected site, then shows the sign-in page. */
  endSession(): void {
    this.storage.set('accessToken', null);
    this.storage.set('refreshToken', null);
    this.storage.set('siteId', null);
    this.access.set(null);
    this.refreshTokenValue.set(null);
    this.meValue.set(null);
    void this.router.navigateByUrl('/sign-in');
  }
}
