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

export const AUTH_PATH = '/api/v1/auth';

/** Auth endpoints that take no access token and whose 401 means "wrong credentials", not "expired". */
export const TOKENLESS_AUTH_PATHS = ['signup', 'login', 'refresh', 'logout'].map((p) => `${AUTH_PATH}/${p}`);

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  signUp(body: SignupRequest): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(`${AUTH_PATH}/signup`, body));
  }

  signIn(body: LoginRequest): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(`${AUTH_PATH}/login`, body));
  }

  refresh(refreshToken: string): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(`${AUTH_PATH}/refresh`, { refreshToken }));
  }

  signOut(refreshToken: string): Promise<unknown> {
    return firstValueFrom(this.http.post(`${AUTH_PATH}/logout`, { refreshToken }));
  }

  me(): Promise<MeResponse> {
    return firstValueFrom(this.http.get<MeResponse>(`${AUTH_PATH}/me`));
  }

  changePassword(body: ChangePasswordRequest): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(`${AUTH_PATH}/password`, body));
  }

  exportMyData(): Promise<HttpResponse<Blob>> {
    return firstValueFrom(
      this.http.get(`${AUTH_PATH}/me/export`, { responseType: 'blob', observe: 'response' }),
    );
  }

  deleteAccount(password: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${AUTH_PATH}/me`, { body: { password } }));
  }
}
