import { inject, Injectable, signal } from '@angular/core';
import type { Site } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { SiteContext } from '../../core/site/site-context';
import { createOf, type SiteDraft, updateOf } from './site-draft';
import { SitesApi } from './sites.api';

/** Creating and changing sites; the shared list and selection live in `SiteContext`. */
@Injectable()
export class SitesStore {
  private readonly api = inject(SitesApi);
  private readonly auth = inject(AuthStore);
  private readonly context = inject(SiteContext);

  readonly busy = signal(false);
  readonly error = signal<unknown>(null);

  async create(draft: SiteDraft): Promise<Site | null> {
    return this.run(async () => {
      const me = await this.auth.loadMe();
      const organization =
        me.organizations.find((o) => o.role === 'owner') ?? me.organizations.find((o) => o.role === 'admin');
      if (!organization) throw new Error('no organization where this user may create sites');
      const site = await this.api.create(createOf(draft, organization.id));
      this.context.upsert(site);
      this.context.select(site.id);
      return site;
    });
  }

  save(siteId: string, draft: SiteDraft): Promise<Site | null> {
    return this.run(async () => {
      const site = await this.api.update(siteId, updateOf(draft));
      this.context.upsert(site);
      return site;
    });
  }

  rotateKey(siteId: string): Promise<Site | null> {
    return this.run(async () => {
      const site = await this.api.rotateKey(siteId);
      this.context.upsert(site);
      return site;
    });
  }

  async remove(siteId: string): Promise<boolean> {
    const done = await this.run(async () => {
      await this.api.remove(siteId);
      this.context.remove(siteId);
      return true;
    });
    return done ?? false;
  }

  private async run<T>(work: () => Promise<T>): Promise<T | null> {
    this.busy.set(true);
    this.error.set(null);
    try {
      return await work();
    } catch (error) {
      this.error.set(error);
      return null;
    } finally {
      this.busy.set(false);
    }
  }
}
