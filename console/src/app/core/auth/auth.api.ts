import { HttpClient, type HttpResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AuthResponse,
  ChangePasswordRequest,
  LoginRequest,
  MeResponse,
  SignupRequest,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

/** Auth endpoints that take no access token and whose 401 means "wrong credentials", not "expired". */
export const TOKENLESS_AUTH_PATHS = [
  route('/api/v1/auth/signup'),
  route('/api/v1/auth/login'),
  route('/api/v1/auth/refresh'),
  route('/api/v1/auth/logout'),
];

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  signUp(body: SignupRequest): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(route('/api/v1/auth/signup'), body));
  }

  signIn(body: LoginRequest): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(route('/api/v1/auth/login'), body));
  }

  refresh(refreshToken: string): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(route('/api/v1/auth/refresh'), { refreshToken }));
  }

  signOut(refreshToken: string): Promise<unknown> {
    return firstValueFrom(this.http.post(route('/api/v1/auth/logout'), { refreshToken }));
  }

  me(): Promise<MeResponse> {
    return firstValueFrom(this.http.get<MeResponse>(route('/api/v1/auth/me')));
  }

  changePassword(body: ChangePasswordRequest): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(route('/api/v1/auth/password'), body));
  }

  exportMyData(): Promise<HttpResponse<Blob>> {
    return firstValueFrom(
      this.http.get(route('/api/v1/auth/me/export'), { responseType: 'blob', observe: 'response' }),
    );
  }

  deleteAccount(password: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(route('/api/v1/auth/me'), { body: { password } }));
  }
}
