import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CreateSiteRequest, Site, UpdateSiteRequest } from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

const SITES_PATH = '/api/v1/sites';

@Injectable({ providedIn: 'root' })
export class SitesApi {
  private readonly http = inject(HttpClient);

  create(body: CreateSiteRequest): Promise<Site> {
    return firstValueFrom(this.http.post<Site>(SITES_PATH, body));
  }

  update(siteId: string, body: UpdateSiteRequest): Promise<Site> {
    return firstValueFrom(this.http.patch<Site>(`${SITES_PATH}/${siteId}`, body));
  }

  rotateKey(siteId: string): Promise<Site> {
    return firstValueFrom(this.http.post<Site>(`${SITES_PATH}/${siteId}/rotate-key`, {}));
  }

  remove(siteId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${SITES_PATH}/${siteId}`));
  }
}
