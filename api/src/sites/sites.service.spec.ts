import type { Site } from '@cloop/contracts';

import { FakeAudit, FakeTransactions } from '../../test/support/unit';
import type { OrganizationScope, Principal, SiteScope } from '../access/access-policy';
import type { AccessService } from '../access/access.service';
import type { WidgetSiteCache } from '../access/widget-site-cache';
import type { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transactions';
import type { SiteEntity } from './site.entity';
import type { NewSite, SiteChanges, SitesRepository } from './sites.repository';
import { DEFAULT_WIDGET_SETTINGS, SitesService } from './sites.service';

const ORGANIZATION = '0b6c1d5e-2f0a-4c1e-9a51-3e8d2c7f4a10';
const owner: Principal = { userId: '7d1f3c2a-5b4e-4f6a-8c9d-0e1f2a3b4c5d' } as Principal;

/** The sites table as a map: what SitesService reads and writes through its repository. */
class InMemorySites
  implements
    Pick<SitesRepository, 'insert' | 'findById' | 'findForUpdate' | 'update' | 'setPublicKey' | 'delete'>
{
  rows = new Map<string, SiteEntity>();
  failNextUpdate = false;

  insert(_tx: unknown, site: NewSite): Promise<SiteEntity> {
    const row = {
      ...site,
      id: crypto.randomUUID(),
      createdAt: new Date(),
      updatedAt: new Date(),
    } as SiteEntity;
    this.rows.set(row.id, row);
    return Promise.resolve(row);
  }
  findById(siteId: string): Promise<SiteEntity | null> {
    const row = this.rows.get(siteId);
    return Promise.resolve(row ? { ...row } : null);
  }
  findForUpdate(_tx: unknown, siteId: string): Promise<SiteEntity | null> {
    return this.findById(siteId);
  }
  update(_tx: unknown, siteId: string, changes: SiteChanges): Promise<void> {
    if (this.failNextUpdate) {
      this.failNextUpdate = false;
      return Promise.reject(new Error('connection lost'));
    }
    const row = this.rows.get(siteId);
    if (row) this.rows.set(siteId, { ...row, ...changes });
    return Promise.resolve();
  }
  setPublicKey(_tx: unknown, siteId: string, publicKey: string): Promise<void> {
    return this.update(_tx, siteId, { publicKey } as SiteChanges);
  }
  delete(_tx: unknown, siteId: string): Promise<void> {
    this.rows.delete(siteId);
    return Promise.resolve();
  }
}

function setup() {
  const sites = new InMemorySites();
  const audit = new FakeAudit();
  /** Each announcement, with how many units of work had committed when it was made. */
  const announced: { siteIds: string[]; afterCommits: number }[] = [];
  const transactions = new FakeTransactions(
    () => ({ rows: new Map(sites.rows), entries: [...audit.entries] }),
    (state) => {
      sites.rows = state.rows;
      audit.entries = state.entries;
    },
  );
  const widgetSites = {
    announceChanged: (siteIds: string[]) => {
      announced.push({ siteIds, afterCommits: transactions.committed });
      return Promise.resolve();
    },
  };
  const access: Pick<AccessService, 'requireCallerOrganizationRole'> = {
    requireCallerOrganizationRole: (_principal, organizationId, role) =>
      Promise.resolve({ organizationId, role } as OrganizationScope),
  };
  const service = new SitesService(
    sites as unknown as SitesRepository,
    access as unknown as AccessService,
    transactions as unknown as TransactionRunner,
    audit as unknown as AuditService,
    widgetSites as unknown as WidgetSiteCache,
  );
  const scopeOf = (site: Site): SiteScope =>
    ({ siteId: site.id, organizationId: site.organizationId }) as SiteScope;
  return { sites, audit, announced, service, scopeOf };
}

describe('SitesService (repositories replaced)', () => {
  it('creates a site with the default widget, one spelling per origin, and audits it', async () => {
    const { service, audit } = setup();
    const site = await service.create(owner, {
      organizationId: ORGANIZATION,
      name: '  Shop  ',
      allowedOrigins: ['https://shop.example', 'https://SHOP.example:443'],
      widget: { color: '#000000' },
    });

    expect(site).toMatchObject({
      name: 'Shop',
      allowedOrigins: ['https://shop.example'],
      widget: { ...DEFAULT_WIDGET_SETTINGS, color: '#000000' },
      leadCapture: false,
    });
    expect(site.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{24}$/);
    expect(audit.entries.map((entry) => entry.action)).toEqual(['site.created']);
  });

  it('merges widget settings, audits the changed fields by name only, then announces the change', async () => {
    const { service, audit, announced, scopeOf } = setup();
    const site = await service.create(owner, { organizationId: ORGANIZATION, name: 'Shop' });

    const updated = await service.update(scopeOf(site), owner, {
      widget: { greeting: 'Hei!' },
      retentionDays: 30,
    });

    expect(updated.widget).toEqual({ ...DEFAULT_WIDGET_SETTINGS, greeting: 'Hei!' });
    expect(updated.retentionDays).toBe(30);
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'site.updated',
      details: { fields: ['retentionDays', 'widget'] },
    });
    // The cache of every replica is told after the commit (2 units of work: create, update).
    expect(announced).toEqual([{ siteIds: [site.id], afterCommits: 2 }]);
  });

  it('audits nothing when a request changes nothing', async () => {
    const { service, audit, scopeOf } = setup();
    const site = await service.create(owner, { organizationId: ORGANIZATION, name: 'Shop' });

    await service.update(scopeOf(site), owner, {});

    expect(audit.entries.map((entry) => entry.action)).toEqual(['site.created']);
  });

  it('announces nothing and keeps the row when the update fails', async () => {
    const { service, sites, audit, announced, scopeOf } = setup();
    const site = await service.create(owner, { organizationId: ORGANIZATION, name: 'Shop' });
    sites.failNextUpdate = true;

    await expect(service.update(scopeOf(site), owner, { name: 'Renamed' })).rejects.toThrow(
      'connection lost',
    );

    expect(sites.rows.get(site.id)?.name).toBe('Shop');
    expect(audit.entries.map((entry) => entry.action)).toEqual(['site.created']);
    expect(announced).toEqual([]);
  });

  it('refuses to update a site that is gone with SITE_NOT_FOUND', async () => {
    const { service, announced, scopeOf } = setup();
    const site = await service.create(owner, { organizationId: ORGANIZATION, name: 'Shop' });
    await service.delete(scopeOf(site), owner);

    await expect(service.update(scopeOf(site), owner, { name: 'Back' })).rejects.toMatchObject({
      code: 'SITE_NOT_FOUND',
    });
    expect(announced).toHaveLength(1);
  });

  it('rotates the key to a new one and announces it, so the old key stops working everywhere', async () => {
    const { service, audit, announced, scopeOf } = setup();
    const site = await service.create(owner, { organizationId: ORGANIZATION, name: 'Shop' });

    const rotated = await service.rotateKey(scopeOf(site), owner);

    expect(rotated.publicKey).not.toBe(site.publicKey);
    expect(audit.entries.at(-1)?.action).toBe('site.key_rotated');
    expect(announced).toEqual([{ siteIds: [site.id], afterCommits: 2 }]);
  });
});
