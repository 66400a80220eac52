import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { MAX_PAGE_LIMIT, type OrganizationMembership, type Page, type Site } from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

import { AuthStore } from '../auth/auth.store';
import { ConsoleStorage } from '../storage';

/**
 * The sites the user can see and the one selected in the shell's switcher (`cloop.siteId`), with
 * its organization: every store and page reads the selection here and nowhere else.
 */
@Injectable({ providedIn: 'root' })
export class SiteContext {
  private readonly http = inject(HttpClient);
  private readonly storage = inject(ConsoleStorage);
  private readonly auth = inject(AuthStore);
  private readonly selectedId = signal<string | null>(this.storage.get('siteId'));
  private readonly siteList = signal<Site[]>([]);
  private readonly loadedValue = signal(false);

  readonly sites = this.siteList.asReadonly();
  readonly loaded = this.loadedValue.asReadonly();
  readonly site = computed<Site | null>(() => {
    const sites = this.sites();
    return sites.find((site) => site.id === this.selectedId()) ?? sites.at(0) ?? null;
  });
  readonly siteId = computed(() => this.site()?.id ?? null);
  /** The selected site's organization with the user's role in it, else the user's first. */
  readonly organization = computed<OrganizationMembership | null>(() => {
    const organizations = this.auth.me()?.organizations ?? [];
    const siteOrg = this.site()?.organizationId;
    return organizations.find((o) => o.id === siteOrg) ?? organizations.at(0) ?? null;
  });

  /** Loads every site; `loaded` turns true even when that failed (the shell stops waiting). */
  async load(): Promise<void> {
    const all: Site[] = [];
    let cursor: string | null = null;
    try {
      do {
        const params: Record<string, string | number> = { limit: MAX_PAGE_LIMIT };
        if (cursor) params['cursor'] = cursor;
        const page: Page<Site> = await firstValueFrom(
          this.http.get<Page<Site>>(route('/api/v1/sites'), { params }),
        );
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      this.siteList.set(all);
      this.remember();
    } finally {
      this.loadedValue.set(true);
    }
  }

  select(siteId: string): void {
    this.selectedId.set(siteId);
    this.remember();
  }

  /** A site was created or changed: keep the switcher current. */
  upsert(site: Site): void {
    this.siteList.update((sites) =>
      sites.some((s) => s.id === site.id)
        ? sites.map((s) => (s.id === site.id ? site : s))
        : [...sites, site],
    );
  }

  remove(siteId: string): void {
    this.siteList.update((sites) => sites.filter((s) => s.id !== siteId));
    this.remember();
  }

  private remember(): void {
    const id = this.siteId();
    if (this.storage.get('siteId') !== id) this.storage.set('siteId', id);
  }
}
