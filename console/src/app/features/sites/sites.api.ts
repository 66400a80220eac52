import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CreateSiteRequest, Site, UpdateSiteRequest } from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

@Injectable({ providedIn: 'root' })
export class SitesApi {
  private readonly http = inject(HttpClient);

  create(body: CreateSiteRequest): Promise<Site> {
    return firstValueFrom(this.http.post<Site>(route('/api/v1/sites'), body));
  }

  update(siteId: string, body: UpdateSiteRequest): Promise<Site> {
    return firstValueFrom(this.http.patch<Site>(route('/api/v1/sites/{siteId}', { siteId }), body));
  }

  rotateKey(siteId: string): Promise<Site> {
    return firstValueFrom(this.http.post<Site>(route('/api/v1/sites/{siteId}/rotate-key', { siteId }), {}));
  }

  remove(siteId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(route('/api/v1/sites/{siteId}', { siteId })));
  }
}
