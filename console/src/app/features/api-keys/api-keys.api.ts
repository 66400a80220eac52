import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { ApiKey, ApiKeyWithSecret, CreateApiKeyRequest } from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

const keysPath = (orgId: string) => route('/api/v1/organizations/{orgId}/api-keys', { orgId });

@Injectable({ providedIn: 'root' })
export class ApiKeysApi {
  private readonly http = inject(HttpClient);

  list(organizationId: string): Promise<ApiKey[]> {
    return firstValueFrom(this.http.get<ApiKey[]>(keysPath(organizationId)));
  }

  create(organizationId: string, body: CreateApiKeyRequest): Promise<ApiKeyWithSecret> {
    return firstValueFrom(this.http.post<ApiKeyWithSecret>(keysPath(organizationId), body));
  }

  revoke(organizationId: string, apiKeyId: string): Promise<unknown> {
    return firstValueFrom(
      this.http.delete(
        route('/api/v1/organizations/{orgId}/api-keys/{apiKeyId}', { orgId: organizationId, apiKeyId }),
      ),
    );
  }
}
