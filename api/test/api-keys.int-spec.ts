import {
  type ApiKey,
  type AuditEvent,
  type CreateApiKeyRequest,
  type ErrorResponse,
  type Page,
  type PrivacySubjectRequest,
  REALTIME_CLOSE_CODES,
  type Site,
} from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { ApiKeyStrategy } from '../src/api-keys/api-key.strategy';
import { createApiKey, createSite, keyAuth, type SignedUpUser, signUp } from './support/factories';
import { RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

describe('organization API keys', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;
  const keysPath = () => route('/api/v1/organizations/{orgId}/api-keys', { orgId: owner.organizationId });
  const listKeys = async (): Promise<ApiKey[]> =>
    (await t.http.get(keysPath()).set(owner.auth).expect(200)).body as ApiKey[];

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http, { name: 'Owner' });
    site = await createSite(t.http, owner);
  });
  afterAll(() => t.close());

  it('shows the secret once, lists the key without it and stores only a keyed hash', async () => {
    const created = await createApiKey(t.http, owner, ['sites:read', 'privacy:read'], { name: 'CRM sync' });
    expect(created.secret).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({
      name: 'CRM sync',
      prefix: created.secret.slice(0, 9),
      scopes: ['privacy:read', 'sites:read'],
      expiresAt: null,
      lastUsedAt: null,
      createdBy: { userId: owner.userId, name: 'Owner' },
    });

    const listed = await listKeys();
    expect(listed).toContainEqual(created.apiKey);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const rows = await t.app
      .get(DataSource)
      .query<
        { secret_hash: string }[]
      >(`SELECT secret_hash FROM api_keys WHERE id = $1`, [created.apiKey.id]);
    expect(rows[0]?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(await t.app.get(DataSource).query(`SELECT * FROM api_keys`));
    expect(dump).not.toContain(created.secret.slice(3));
  });

  it('refuses invalid keys to create, changing nothing', async () => {
    const before = await listKeys();
    const invalid: unknown[] = [
      { name: ' ', scopes: ['sites:read'] },
      { name: 'x'.repeat(101), scopes: ['sites:read'] },
      { name: 'No scopes', scopes: [] },
      { name: 'Unknown scope', scopes: ['sites:admin'] },
      { name: 'Past', scopes: ['sites:read'], expiresAt: '2020-01-01T00:00:00.000Z' },
      { name: 'Not a date', scopes: ['sites:read'], expiresAt: 'tomorrow' },
      { name: 'Week date', scopes: ['sites:read'], expiresAt: '2099-W01-1' },
      { scopes: ['sites:read'] },
    ];
    for (const body of invalid) {
      const response = await t.http
        .post(keysPath())
        .set(owner.auth)
        .send(body as object);
      expect({ body, status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(await listKeys()).toEqual(before);
  });

  it('answers 404 for revoking an unknown or already revoked key', async () => {
    const key = await createApiKey(t.http, owner, ['sites:read']);
    await t.http.delete(`${keysPath()}/${key.apiKey.id}`).set(owner.auth).expect(204);
    const again = await t.http.delete(`${keysPath()}/${key.apiKey.id}`).set(owner.auth).expect(404);
    expect((again.body as ErrorResponse).code).toBe('API_KEY_NOT_FOUND');
    expect((await listKeys()).map((listed) => listed.id)).not.toContain(key.apiKey.id);
  });

  it('keeps lastUsedAt, writing it at most once a minute per key', async () => {
    const strategy = t.app.get(ApiKeyStrategy);
    const key = await createApiKey(t.http, owner, ['sites:read']);
    const lastUsed = async () => (await listKeys()).find((k) => k.id === key.apiKey.id)?.lastUsedAt ?? null;
    const start = Date.now();
    try {
      strategy.now = () => start;
      await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(keyAuth(key))
        .expect(200);
      expect(await lastUsed()).toBe(new Date(start).toISOString());
      strategy.now = () => start + 59_000;
      await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(keyAuth(key))
        .expect(200);
      expect(await lastUsed()).toBe(new Date(start).toISOString());
      strategy.now = () => start + 61_000;
      await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(keyAuth(key))
        .expect(200);
      expect(await lastUsed()).toBe(new Date(start + 61_000).toISOString());
    } finally {
      strategy.now = Date.now;
    }
  });

  it("records every privacy request of a key in the audit trail with the key's id and name", async () => {
    const key = await createApiKey(t.http, owner, ['privacy:write'], { name: 'Warehouse export' });
    const subject: PrivacySubjectRequest = { email: 'subject@example.test' };
    await t.http
      .get(route('/api/v1/sites/{siteId}/privacy/requests', { siteId: site.id }))
      .set(keyAuth(key))
      .expect(200);
    await t.http
      .post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId: site.id }))
      .set(keyAuth(key))
      .send(subject)
      .expect(200);
    // Refused by validation after authorization: still a use of a privacy route.
    await t.http
      .post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId: site.id }))
      .set(keyAuth(key))
      .send({})
      .expect(400);

    const events = (
      (
        await t.http
          .get(route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId }))
          .set(owner.auth)
          .expect(200)
      ).body as Page<AuditEvent>
    ).items.filter((event) => event.actor.kind === 'api_key');
    const byKey = { apiKey: { id: key.apiKey.id, name: 'Warehouse export' } };
    expect(events.map((event) => [event.action, event.details['route'] ?? null])).toEqual([
      ['api_key.privacy_used', '/api/v1/sites/:siteId/privacy/exports'],
      ['privacy.erased', null],
      ['api_key.privacy_used', '/api/v1/sites/:siteId/privacy/erasures'],
      ['api_key.privacy_used', '/api/v1/sites/:siteId/privacy/requests'],
    ]);
    for (const event of events) {
      expect(event.actor).toEqual({ kind: 'api_key', userId: owner.userId });
      expect(event.details).toMatchObject(byKey);
    }
  });

  it('is not accepted by the realtime socket', async () => {
    const key = await createApiKey(t.http, owner, ['conversations:read']);
    const socket = await RealtimeClient.connect(await t.listen());
    socket.send({ type: 'auth', accessToken: key.secret });
    expect((await socket.closed).code).toBe(REALTIME_CLOSE_CODES.unauthenticated);
  });

  it('refuses more than 50 keys per organization', async () => {
    const other = await signUp(t.http, { name: 'Collector' });
    const body: CreateApiKeyRequest = { name: 'One of many', scopes: ['sites:read'] };
    const path = route('/api/v1/organizations/{orgId}/api-keys', { orgId: other.organizationId });
    for (let i = 0; i < 50; i += 1) await t.http.post(path).set(other.auth).send(body).expect(201);
    const refused = await t.http.post(path).set(other.auth).send(body).expect(409);
    expect((refused.body as ErrorResponse).code).toBe('API_KEY_LIMIT_REACHED');
  });
});

describe('the API-key rate-limit group', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ rateLimits: { apiKey: { limit: 3, windowMs: 60_000 } } });
  });
  afterAll(() => t.close());

  it('counts requests with an API key apart from the console’s', async () => {
    const owner = await signUp(t.http);
    const site = await createSite(t.http, owner);
    const key = await createApiKey(t.http, owner, ['sites:read']);
    for (let i = 0; i < 3; i += 1)
      await t.http
        .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
        .set(keyAuth(key))
        .expect(200);
    const limited = await t.http
      .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
      .set(keyAuth(key))
      .expect(429);
    expect((limited.body as ErrorResponse).code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    // The people of the same address are not held back by the integration.
    await t.http
      .get(route('/api/v1/sites/{siteId}', { siteId: site.id }))
      .set(owner.auth)
      .expect(200);
  });
});
