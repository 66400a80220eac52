import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideHttpClient } from '@angular/common/http';
import { CONSOLE_STORAGE_KEYS, type CreateSiteRequest, type MeResponse } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { SiteContext } from '../../core/site/site-context';
import { createSite } from '../../testing/factories';
import { draftOf, embedSnippet, originsOf } from './site-draft';
import { SitesApi } from './sites.api';
import { SitesStore } from './sites.store';

const me = (role: 'member' | 'admin' | 'owner'): MeResponse => ({
  user: {
    id: 'u1',
    email: 'u@example.test',
    name: 'U',
    createdAt: '2026-11-01T00:00:00Z',
    emailVerified: true,
  },
  organizations: [
    { id: 'org-member', name: 'Other', role: 'member' },
    { id: 'org-mine', name: 'Mine', role },
  ],
});

function setUp(role: 'member' | 'admin' | 'owner' = 'owner') {
  const api = { create: jest.fn(), update: jest.fn(), rotateKey: jest.fn(), remove: jest.fn() };
  TestBed.configureTestingModule({
    providers: [provideRouter([]), provideHttpClient(), SitesStore, { provide: SitesApi, useValue: api }],
  });
  jest.spyOn(TestBed.inject(AuthStore), 'loadMe').mockResolvedValue(me(role));
  return { store: TestBed.inject(SitesStore), context: TestBed.inject(SiteContext), api };
}

describe('SitesStore', () => {
  beforeEach(() => localStorage.clear());

  it('creates a site in an organization the user administers, then selects and remembers it', async () => {
    const { store, context, api } = setUp('owner');
    const site = createSite({ organizationId: 'org-mine' });
    api.create.mockResolvedValue(site);
    const draft = { ...draftOf(null, 'https://console.example'), name: '  Shop  ' };

    await expect(store.create(draft)).resolves.toBe(site);

    const request = api.create.mock.calls[0]?.[0] as CreateSiteRequest;
    expect(request).toMatchObject({
      organizationId: 'org-mine',
      name: 'Shop',
      allowedOrigins: ['https://console.example'],
    });
    expect(context.siteId()).toBe(site.id);
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.siteId)).toBe(site.id);
  });

  it('keeps the error for the page when saving fails', async () => {
    const { store, api } = setUp();
    api.update.mockRejectedValue(new Error('422'));
    await expect(store.save('s1', draftOf(createSite(), ''))).resolves.toBeNull();
    expect(store.error()).toBeTruthy();
    expect(store.busy()).toBe(false);
  });

  it('puts the rotated key into the switcher list and drops a deleted site from it', async () => {
    const { store, context, api } = setUp();
    const site = createSite();
    context.upsert(site);
    api.rotateKey.mockResolvedValue({ ...site, publicKey: 'pk_new' });
    await store.rotateKey(site.id);
    expect(context.site()?.publicKey).toBe('pk_new');

    api.remove.mockResolvedValue(null);
    await expect(store.remove(site.id)).resolves.toBe(true);
    expect(context.sites()).toEqual([]);
    expect(localStorage.getItem(CONSOLE_STORAGE_KEYS.siteId)).toBeNull();
  });
});

describe('site drafts', () => {
  it('reads origins one per line or comma-separated, trimmed, without trailing slashes or duplicates', () => {
    expect(originsOf(' https://a.example/ \nhttps://b.example, https://a.example\n\n')).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('writes the embed snippet of DESIGN §11', () => {
    expect(embedSnippet('https://chat.example.com', 'pk_1')).toBe(
      '<script src="https://chat.example.com/widget.js" data-site-key="pk_1" async></script>',
    );
  });
});
