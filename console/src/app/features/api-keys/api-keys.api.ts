import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { ApiKey, ApiKeyWithSecret, CreateApiKeyRequest } from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

const base = (organizationId: string) => `/api/v1/organizations/${organizationId}/api-keys`;

@Injectable({ providedIn: 'root' })
export class ApiKeysApi {
  private readonly http = inject(HttpClient);

  list(organizationId: string): Promise<ApiKey[]> {
    return firstValueFrom(this.http.get<ApiKey[]>(base(organizationId)));
  }

  create(organizationId: string, body: CreateApiKeyRequest): Promise<ApiKeyWithSecret> {
    return firstValueFrom(this.http.post<ApiKeyWithSecret>(base(organizationId), body));
  }

  revoke(organizationId: string, apiKeyId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${base(organizationId)}/${apiKeyId}`));
  }
}
