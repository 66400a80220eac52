import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AuthResponse,
  SsoCallbackRequest,
  SsoSettings,
  SsoStartRequest,
  SsoStartResponse,
  UpdateSsoSettingsRequest,
} from '@cloop/contracts';
import { route } from '@cloop/client/route';
import { firstValueFrom } from 'rxjs';

const settingsPath = (orgId: string) => route('/api/v1/organizations/{orgId}/sso', { orgId });

/** Single sign-on: owners' settings, and the two public steps of signing in through a provider. */
@Injectable({ providedIn: 'root' })
export class SsoApi {
  private readonly http = inject(HttpClient);

  settings(organizationId: string): Promise<SsoSettings> {
    return firstValueFrom(this.http.get<SsoSettings>(settingsPath(organizationId)));
  }

  save(organizationId: string, body: UpdateSsoSettingsRequest): Promise<SsoSettings> {
    return firstValueFrom(this.http.put<SsoSettings>(settingsPath(organizationId), body));
  }

  start(body: SsoStartRequest): Promise<SsoStartResponse> {
    return firstValueFrom(this.http.post<SsoStartResponse>(route('/api/v1/auth/sso/start'), body));
  }

  callback(body: SsoCallbackRequest): Promise<AuthResponse> {
    return firstValueFrom(this.http.post<AuthResponse>(route('/api/v1/auth/sso/callback'), body));
  }
}
