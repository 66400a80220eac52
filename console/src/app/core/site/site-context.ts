import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { MAX_PAGE_LIMIT, type Page, type Site } from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { apiPath } from '../http/api-path';

import { ConsoleStorage } from '../storage';

/** The sites the user can see and the one selected in the shell's switcher (`cloop.siteId`). */
@Injectable({ providedIn: 'root' })
export class SiteContext {
  private readonly http = inject(HttpClient);
  private readonly storage = inject(ConsoleStorage);
  private readonly selectedId = signal<string | null>(this.storage.get('siteId'));

  readonly sites = signal<Site[]>([]);
  readonly loaded = signal(false);
  readonly site = computed<Site | null>(() => {
    const sites = this.sites();
    return sites.find((site) => site.id === this.selectedId()) ?? sites.at(0) ?? null;
  });
  readonly siteId = computed(() => this.site()?.id ?? null);

  async load(): Promise<void> {
    const all: Site[] = [];
    let cursor: string | null = null;
    do {
      const params: Record<string, string | number> = { limit: MAX_PAGE_LIMIT };
      if (cursor) params['cursor'] = cursor;
      const page: Page<Site> = await firstValueFrom(
        this.http.get<Page<Site>>(apiPath('/api/v1/sites'), { params }),
      );
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    this.sites.set(all);
    this.loaded.set(true);
    this.remember();
  }

  select(siteId: string): void {
    this.selectedId.set(siteId);
    this.remember();
  }

  /** A site was created or changed: keep the switcher current. */
  upsert(site: Site): void {
    this.sites.update((sites) =>
      sites.some((s) => s.id === site.id)
        ? sites.map((s) => (s.id === site.id ? site : s))
        : [...sites, site],
    );
  }

  remove(siteId: string): void {
    this.sites.update((sites) => sites.filter((s) => s.id !== siteId));
    this.remember();
  }

  private remember(): void {
    const id = this.siteId();
    if (this.storage.get('siteId') !== id) this.storage.set('siteId', id);
  }
}
