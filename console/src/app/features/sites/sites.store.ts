import { inject, Injectable } from '@angular/core';
import type { Site } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { SiteContext } from '../../core/site/site-context';
import { Action } from '../../core/state/action';
import { createOf, type SiteDraft, updateOf } from './site-draft';
import { SitesApi } from './sites.api';

/** Creating and changing sites; the shared list and selection live in `SiteContext`. */
@Injectable()
export class SitesStore {
  private readonly api = inject(SitesApi);
  private readonly auth = inject(AuthStore);
  private readonly context = inject(SiteContext);

  /** The failure itself: the edit page reads the fields the API refused from it. */
  private readonly action = new Action<unknown>((error) => error);
  readonly busy = this.action.busy;
  readonly error = this.action.error;

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

  /** `work`'s answer, or `null` when it failed. */
  private async run<T>(work: () => Promise<T>): Promise<T | null> {
    let answer: T | null = null;
    await this.action.run(async () => {
      answer = await work();
    });
    return answer;
  }
}
