import type { CreateSiteRequest, ErrorResponse, Page, Site, UpdateSiteRequest } from '@cloop/contracts';

import { addMember, createSite, signUp, type SignedUpUser } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

describe('sites', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function getSite(user: SignedUpUser, siteId: string): Promise<Site> {
    return (await t.http.get(route('/api/v1/sites/{siteId}', { siteId })).set(user.auth).expect(200))
      .body as Site;
  }

  function patchSite(user: SignedUpUser, siteId: string, body: UpdateSiteRequest | object) {
    return t.http.patch(route('/api/v1/sites/{siteId}', { siteId })).set(user.auth).send(body);
  }

  async function listSites(
    user: SignedUpUser,
    query: Record<string, string | number> = {},
  ): Promise<Page<Site>> {
    return (await t.http.get(route('/api/v1/sites')).query(query).set(user.auth).expect(200))
      .body as Page<Site>;
  }

  describe('creating', () => {
    it('creates a site with default settings and a fresh public key', async () => {
      const owner = await signUp(t.http);

      const site = await createSite(t.http, owner, { name: '  Example shop ' });

      expect(site).toMatchObject({
        organizationId: owner.organizationId,
        name: 'Example shop',
        allowedOrigins: [],
        widget: {
          color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
          position: 'bottom-right',
          greeting: expect.any(String),
          assistantName: expect.any(String),
          locale: 'auto',
          privacyUrl: null,
          languages: {},
          sound: false,
        },
        leadCapture: false,
        retentionDays: 180,
      });
      expect(site.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{24}$/);
      expect(await getSite(owner, site.id)).toEqual(site);
    });

    it('stores allowed origins in their canonical form and merges duplicates', async () => {
      const owner = await signUp(t.http);

      const site = await createSite(t.http, owner, {
        allowedOrigins: ['https://Shop.Example.com:443', 'https://shop.example.com', 'http://localhost:8080'],
      });

      expect(site.allowedOrigins).toEqual(['https://shop.example.com', 'http://localhost:8080']);
    });

    it.each(['https://example.com/path', 'ftp://x', 'https://*.x.com'])(
      'refuses the allowed origin %s with 400 VALIDATION_FAILED and creates nothing',
      async (origin) => {
        const owner = await signUp(t.http);
        const response = await t.http
          .post(route('/api/v1/sites'))
          .set(owner.auth)
          .send({
            organizationId: owner.organizationId,
            name: 'Shop',
            allowedOrigins: [origin],
          } satisfies CreateSiteRequest)
          .expect(400);
        expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
        expect((await listSites(owner)).items).toEqual([]);
      },
    );

    it('refuses a caller who is only a member of the organization with 403', async () => {
      const owner = await signUp(t.http);
      const member = await signUp(t.http);
      await addMember(t.http, owner, member, 'member');

      const response = await t.http
        .post(route('/api/v1/sites'))
        .set(member.auth)
        .send({ organizationId: owner.organizationId, name: 'Shop' } satisfies CreateSiteRequest)
        .expect(403);

      expect((response.body as ErrorResponse).code).toBe('FORBIDDEN');
      expect((await listSites(owner)).items).toEqual([]);
    });

    it('answers 404 ORGANIZATION_NOT_FOUND for an organization the caller is not in', async () => {
      const owner = await signUp(t.http);
      const outsider = await signUp(t.http);

      const response = await t.http
        .post(route('/api/v1/sites'))
        .set(outsider.auth)
        .send({ organizationId: owner.organizationId, name: 'Shop' } satisfies CreateSiteRequest)
        .expect(404);

      expect((response.body as ErrorResponse).code).toBe('ORGANIZATION_NOT_FOUND');
      expect((await listSites(owner)).items).toEqual([]);
    });
  });

  describe('listing', () => {
    it("shows only sites of the caller's organizations, optionally of one organization", async () => {
      const alice = await signUp(t.http);
      const bob = await signUp(t.http);
      await addMember(t.http, bob, alice, 'member');
      const own = await createSite(t.http, alice);
      const shared = await createSite(t.http, bob);
      const stranger = await signUp(t.http);
      await createSite(t.http, stranger);

      expect((await listSites(alice)).items.map((site) => site.id).sort()).toEqual(
        [own.id, shared.id].sort(),
      );
      expect(
        (await listSites(alice, { organizationId: bob.organizationId })).items.map((site) => site.id),
      ).toEqual([shared.id]);
      expect((await listSites(alice, { organizationId: stranger.organizationId })).items).toEqual([]);
    });

    it('walks every site exactly once, two per page, by following nextCursor', async () => {
      const owner = await signUp(t.http);
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await createSite(t.http, owner, { name: `Site ${i}` })).id);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await listSites(owner, cursor === null ? { limit: 2 } : { limit: 2, cursor });
        seen.push(...page.items.map((site) => site.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages <= 10);

      expect(pages).toBe(3);
      expect([...seen].sort()).toEqual([...created].sort());
    });

    it('refuses a bad cursor with 400 VALIDATION_FAILED', async () => {
      const owner = await signUp(t.http);
      const response = await t.http
        .get(route('/api/v1/sites'))
        .query({ cursor: 'garbage' })
        .set(owner.auth)
        .expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('updating', () => {
    it('changes only the fields named and merges widget settings', async () => {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner, { widget: { greeting: 'Hello there' } });

      const response = await patchSite(owner, site.id, {
        widget: { color: '#ff0000' },
      } satisfies UpdateSiteRequest).expect(200);

      const expected: Site = {
        ...site,
        widget: { ...site.widget, color: '#ff0000' },
        updatedAt: expect.any(String),
      };
      expect(response.body).toEqual(expected);
      expect(await getSite(owner, site.id)).toEqual(expected);
      expect((await getSite(owner, site.id)).widget.greeting).toBe('Hello there');
    });

    it('sets and clears the privacy link', async () => {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner);

      await patchSite(owner, site.id, { widget: { privacyUrl: 'https://example.com/privacy' } }).expect(200);
      expect((await getSite(owner, site.id)).widget.privacyUrl).toBe('https://example.com/privacy');

      await patchSite(owner, site.id, { widget: { privacyUrl: null } }).expect(200);
      expect((await getSite(owner, site.id)).widget).toEqual(site.widget);
    });

    it('sets a greeting and header per language, replaced as a whole, and turns the reply sound on', async () => {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner, {
        widget: {
          languages: { en: { greeting: 'Hello!' }, fi: { greeting: 'Hei!', assistantName: 'Avustaja' } },
        },
      });
      expect(site.widget.languages).toEqual({
        en: { greeting: 'Hello!' },
        fi: { greeting: 'Hei!', assistantName: 'Avustaja' },
      });

      await patchSite(owner, site.id, {
        widget: { languages: { fi: { greeting: 'Moi!' } }, sound: true },
      } satisfies UpdateSiteRequest).expect(200);

      const updated = await getSite(owner, site.id);
      expect(updated.widget).toEqual({
        ...site.widget,
        languages: { fi: { greeting: 'Moi!' } },
        sound: true,
      });
    });

    it.each<[string, object]>([
      ['a language the widget does not speak', { widget: { languages: { sv: { greeting: 'Hej!' } } } }],
      ['languages that are not an object', { widget: { languages: 'fi' } }],
      [
        'a per-language greeting of 501 characters',
        { widget: { languages: { fi: { greeting: 'a'.repeat(501) } } } },
      ],
      [
        'a per-language header of 61 characters',
        { widget: { languages: { en: { assistantName: 'a'.repeat(61) } } } },
      ],
      ['an unknown per-language field', { widget: { languages: { en: { title: 'Hi' } } } }],
      ['a per-language greeting that is not text', { widget: { languages: { fi: { greeting: 5 } } } }],
      ['a sound setting that is not a boolean', { widget: { sound: 'yes' } }],
      ['a null sound setting', { widget: { sound: null } }],
      ['an invalid color', { widget: { color: 'red' } }],
      ['a null color', { widget: { color: null } }],
      ['an invalid position', { widget: { position: 'top-left' } }],
      ['retentionDays 0', { retentionDays: 0 }],
      ['retentionDays 4000', { retentionDays: 4000 }],
      ['a null name', { name: null }],
      ['a null leadCapture', { leadCapture: null }],
      ['null allowedOrigins', { allowedOrigins: null }],
      ['an unknown field', { theme: 'dark' }],
      ['an unknown widget field', { widget: { font: 'Comic Sans' } }],
      ['an invalid allowed origin', { allowedOrigins: ['https://example.com/path'] }],
    ])('refuses %s with 400 VALIDATION_FAILED and leaves the site unchanged', async (_, body) => {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner, { allowedOrigins: ['https://example.com'] });

      const response = await patchSite(owner, site.id, body).expect(400);

      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      expect(await getSite(owner, site.id)).toEqual(site);
    });

    it('refuses a member without the admin role with 403', async () => {
      const owner = await signUp(t.http);
      const member = await signUp(t.http);
      await addMember(t.http, owner, member, 'member');
      const site = await createSite(t.http, owner);

      await patchSite(member, site.id, { name: 'Renamed' }).expect(403);

      expect(await getSite(member, site.id)).toEqual(site);
    });
  });

  describe('keys and deletion', () => {
    it('rotates the public key', async () => {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner);

      const rotated = (
        await t.http
          .post(route('/api/v1/sites/{siteId}/rotate-key', { siteId: site.id }))
          .set(owner.auth)
          .expect(200)
      ).body as Site;

      expect(rotated.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{24}$/);
      expect(rotated.publicKey).not.toBe(site.publicKey);
      expect((await getSite(owner, site.id)).publicKey).toBe(rotated.publicKey);
    });

    it('deletes a site, which is then not found', async () => {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner);

      await t.http
        .delete(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(owner.auth)
        .expect(204);

      const response = await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(owner.auth)
        .expect(404);
      expect((response.body as ErrorResponse).code).toBe('SITE_NOT_FOUND');
      expect((await listSites(owner)).items).toEqual([]);
    });

    it("hides another organization's site behind 404 SITE_NOT_FOUND on every route", async () => {
      const owner = await signUp(t.http);
      const outsider = await signUp(t.http);
      const site = await createSite(t.http, owner);
      const path = route('/api/v1/sites/{siteId}', { siteId: site.id });

      for (const send of [
        () => t.http.get(path),
        () => t.http.patch(path).send({ name: 'Mine now' }),
        () => t.http.post(`${path}/rotate-key`),
        () => t.http.delete(path),
      ]) {
        const response = await send().set(outsider.auth).expect(404);
        expect((response.body as ErrorResponse).code).toBe('SITE_NOT_FOUND');
      }
      expect(await getSite(owner, site.id)).toEqual(site);
    });

    it('answers 404 SITE_NOT_FOUND for a siteId that is not a uuid', async () => {
      const owner = await signUp(t.http);
      const response = await t.http.get('/api/v1/sites/not-a-uuid').set(owner.auth).expect(404);
      expect((response.body as ErrorResponse).code).toBe('SITE_NOT_FOUND');
    });
  });
});
