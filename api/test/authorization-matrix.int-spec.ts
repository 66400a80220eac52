import {
  type CreateApiKeyRequest,
  type CreateSiteRequest,
  type ErrorResponse,
  type Page,
  type PrivacySubjectRequest,
  type Site,
  type UpdateMemberRequest,
  type UpdateSiteRequest,
} from '@cloop/contracts';
import type { Response } from 'supertest';

import {
  addMember,
  createApiKey,
  createSite,
  keyAuth,
  type SignedUpUser,
  signUp,
  uniqueEmail,
} from './support/factories';
import { ACCOUNT_ROWS } from './support/authorization-matrix/accounts.rows';
import { EVERY_WRITE_SCOPE } from './support/authorization-matrix/machinery';
import { ORGANIZATION_ROWS } from './support/authorization-matrix/organizations.rows';
import { SITE_ROWS } from './support/authorization-matrix/sites.rows';
import { WIDGET_ROWS } from './support/authorization-matrix/widget.rows';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

/**
 * The authorization matrix is split by area (authorization-matrix-*.int-spec.ts, rows in
 * support/authorization-matrix/): this file checks that together they cover every route, and
 * what limits an API key beyond its row.
 */
const MATRIX_ROUTES = [ACCOUNT_ROWS, ORGANIZATION_ROWS, SITE_ROWS, WIDGET_ROWS].flatMap((rows) =>
  Object.keys(rows),
);

describe('authorization matrix', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has an entry for every registered /api/ route and none for a route that does not exist', () => {
    const registered = t.routes.filter((route) => {
      const path = route.split(' ')[1] ?? '';
      return path.startsWith('/api/') && !path.startsWith('/api/docs') && path !== '/api/openapi.json';
    });
    expect({
      missingFromMatrix: registered.filter((route) => !MATRIX_ROUTES.includes(route)),
      notRegistered: MATRIX_ROUTES.filter((route) => !registered.includes(route)),
    }).toEqual({ missingFromMatrix: [], notRegistered: [] });
  });

  it('lists each route in one area only', () => {
    expect(MATRIX_ROUTES.filter((route, i) => MATRIX_ROUTES.indexOf(route) !== i)).toEqual([]);
  });
});

describe('authorization matrix: what limits an API key', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let ownerB: SignedUpUser;
  let siteA: Site;
  let siteB: Site;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http, { name: 'Owner A' });
    admin = await signUp(t.http, { name: 'Admin A' });
    ownerB = await signUp(t.http, { name: 'Owner B' });
    await addMember(t.http, owner, admin, 'admin');
    siteA = await createSite(t.http, owner, { name: 'Site A' });
    siteB = await createSite(t.http, ownerB, { name: 'Site B' });
  });
  afterAll(() => t.close());

  const erasure = (site: Site, key: { secret: string }) => {
    const body: PrivacySubjectRequest = { email: uniqueEmail('subject') };
    return t.http
      .post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId: site.id }))
      .set(keyAuth(key))
      .send(body);
  };
  const refusal = (response: Response) => ({
    status: response.status,
    code: (response.body as Partial<ErrorResponse>).code,
  });

  it("refuses a key on another organization's site as if the site did not exist", async () => {
    const key = await createApiKey(t.http, ownerB, ['sites:write', 'privacy:write']);
    expect(
      refusal(await t.http.get(route('/api/v1/sites/{siteId}', { siteId: siteA.id })).set(keyAuth(key))),
    ).toEqual({
      status: 404,
      code: 'SITE_NOT_FOUND',
    });
    expect(refusal(await erasure(siteA, key))).toEqual({ status: 404, code: 'SITE_NOT_FOUND' });
    await t.http
      .get(route('/api/v1/sites/{siteId}', { siteId: siteB.id }))
      .set(keyAuth(key))
      .expect(200);
  });

  it('keeps a key in its own organization even when its creator belongs to another one too', async () => {
    await addMember(t.http, ownerB, owner, 'owner');
    const key = await createApiKey(t.http, owner, ['sites:read']);
    expect(
      refusal(await t.http.get(route('/api/v1/sites/{siteId}', { siteId: siteB.id })).set(keyAuth(key))),
    ).toEqual({
      status: 404,
      code: 'SITE_NOT_FOUND',
    });
    const listed = await t.http
      .get(route('/api/v1/sites'))
      .query({ organizationId: ownerB.organizationId })
      .set(keyAuth(key))
      .expect(200);
    expect((listed.body as Page<Site>).items).toEqual([]);
    const own = await t.http.get(route('/api/v1/sites')).set(keyAuth(key)).expect(200);
    expect((own.body as Page<Site>).items.map((site) => site.id)).toEqual([siteA.id]);
  });

  it('refuses a key without the route’s scope with 403', async () => {
    const key = await createApiKey(t.http, owner, ['conversations:read']);
    expect(
      refusal(
        await t.http.get(route('/api/v1/sites/{siteId}/webhooks', { siteId: siteA.id })).set(keyAuth(key)),
      ),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    await t.http
      .get(route('/api/v1/sites/{siteId}/conversations', { siteId: siteA.id }))
      .set(keyAuth(key))
      .expect(200);
  });

  it('lets a read key read but not write', async () => {
    const key = await createApiKey(t.http, owner, ['sites:read', 'privacy:read']);
    await t.http
      .get(route('/api/v1/sites/{siteId}', { siteId: siteA.id }))
      .set(keyAuth(key))
      .expect(200);
    const rename: UpdateSiteRequest = { name: 'Renamed by a read key' };
    expect(
      refusal(
        await t.http
          .patch(route('/api/v1/sites/{siteId}', { siteId: siteA.id }))
          .set(keyAuth(key))
          .send(rename),
      ),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(refusal(await erasure(siteA, key))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const created: CreateSiteRequest = { organizationId: owner.organizationId, name: 'By a read key' };
    expect(refusal(await t.http.post(route('/api/v1/sites')).set(keyAuth(key)).send(created))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('refuses a revoked key and an expired key with 401', async () => {
    const revoked = await createApiKey(t.http, owner, ['sites:read']);
    await t.http
      .get(route('/api/v1/sites/{siteId}', { siteId: siteA.id }))
      .set(keyAuth(revoked))
      .expect(200);
    await t.http
      .delete(
        route('/api/v1/organizations/{orgId}/api-keys/{apiKeyId}', {
          orgId: owner.organizationId,
          apiKeyId: revoked.apiKey.id,
        }),
      )
      .set(owner.auth)
      .expect(204);
    expect(
      refusal(await t.http.get(route('/api/v1/sites/{siteId}', { siteId: siteA.id })).set(keyAuth(revoked))),
    ).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });

    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const expiring = await createApiKey(t.http, owner, ['sites:read'], { expiresAt });
    await t.http
      .get(route('/api/v1/sites/{siteId}', { siteId: siteA.id }))
      .set(keyAuth(expiring))
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    expect(
      refusal(await t.http.get(route('/api/v1/sites/{siteId}', { siteId: siteA.id })).set(keyAuth(expiring))),
    ).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a made-up key and a key-shaped string with 401', async () => {
    for (const secret of ['ck_nope', `ck_${'A'.repeat(43)}`]) {
      expect(
        refusal(
          await t.http.get(route('/api/v1/sites/{siteId}', { siteId: siteA.id })).set(keyAuth({ secret })),
        ),
      ).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it("limits a key to its creator's current role: demoted, the admin's key loses admin routes", async () => {
    const creator = await signUp(t.http, { name: 'Admin to be demoted' });
    await addMember(t.http, owner, creator, 'admin');
    const key = await createApiKey(t.http, creator, ['sites:write', 'conversations:read'], {
      organizationId: owner.organizationId,
    });
    const rename: UpdateSiteRequest = { name: 'Site A' };
    await t.http
      .patch(route('/api/v1/sites/{siteId}', { siteId: siteA.id }))
      .set(keyAuth(key))
      .send(rename)
      .expect(200);

    const demote: UpdateMemberRequest = { role: 'member' };
    await t.http
      .patch(
        route('/api/v1/organizations/{orgId}/members/{userId}', {
          orgId: owner.organizationId,
          userId: creator.userId,
        }),
      )
      .set(owner.auth)
      .send(demote)
      .expect(200);
    expect(
      refusal(
        await t.http
          .patch(route('/api/v1/sites/{siteId}', { siteId: siteA.id }))
          .set(keyAuth(key))
          .send(rename),
      ),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    // What a member may do, the key still may.
    await t.http
      .get(route('/api/v1/sites/{siteId}/conversations', { siteId: siteA.id }))
      .set(keyAuth(key))
      .expect(200);
  });

  it('stops a key when its creator is removed from the organization', async () => {
    const key = await createApiKey(t.http, admin, ['sites:read'], { organizationId: owner.organizationId });
    await t.http
      .get(route('/api/v1/sites/{siteId}', { siteId: siteA.id }))
      .set(keyAuth(key))
      .expect(200);
    await t.http
      .delete(
        route('/api/v1/organizations/{orgId}/members/{userId}', {
          orgId: owner.organizationId,
          userId: admin.userId,
        }),
      )
      .set(owner.auth)
      .expect(204);
    expect(
      refusal(await t.http.get(route('/api/v1/sites/{siteId}', { siteId: siteA.id })).set(keyAuth(key))),
    ).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('does not let a key manage keys, members or the account', async () => {
    const key = await createApiKey(t.http, owner, [...EVERY_WRITE_SCOPE]);
    const orgPath = route('/api/v1/organizations/{orgId}', { orgId: owner.organizationId });
    const create: CreateApiKeyRequest = { name: 'Made by a key', scopes: ['sites:read'] };
    for (const response of [
      await t.http.get(`${orgPath}/api-keys`).set(keyAuth(key)),
      await t.http.post(`${orgPath}/api-keys`).set(keyAuth(key)).send(create),
      await t.http.delete(`${orgPath}/api-keys/${key.apiKey.id}`).set(keyAuth(key)),
      await t.http.get(`${orgPath}/members`).set(keyAuth(key)),
      await t.http.get(route('/api/v1/auth/me')).set(keyAuth(key)),
    ]) {
      expect(refusal(response)).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
  });
});
