import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { ApiKey, ErrorResponse } from '@cloop/contracts';

import { ApiKeysApi } from './api-keys.api';
import { ApiKeysStore } from './api-keys.store';

const key = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  id: 'k1',
  organizationId: 'o1',
  name: 'CRM sync',
  prefix: 'ck_abcdef',
  scopes: ['conversations:read'],
  expiresAt: null,
  lastUsedAt: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  createdBy: { userId: 'u1', name: 'Aino' },
  ...overrides,
});

const apiError = (status: number, code: ErrorResponse['code']) =>
  new HttpErrorResponse({ status, error: { statusCode: status, error: 'x', message: 'x', code } });

function setUp() {
  const api = { list: jest.fn(), create: jest.fn(), revoke: jest.fn() };
  TestBed.configureTestingModule({ providers: [ApiKeysStore, { provide: ApiKeysApi, useValue: api }] });
  return { store: TestBed.inject(ApiKeysStore), api };
}

describe('ApiKeysStore', () => {
  it('shows the secret of a new key once, and forgets it when dismissed or reloaded', async () => {
    const { store, api } = setUp();
    api.list.mockResolvedValue([]);
    await store.load('o1');
    api.create.mockResolvedValue({ apiKey: key(), secret: 'ck_secret' });

    await expect(store.create('o1', { name: 'CRM sync', scopes: ['conversations:read'] })).resolves.toBe(
      true,
    );
    expect(store.revealed()).toEqual({ name: 'CRM sync', secret: 'ck_secret' });
    expect(store.keys()).toEqual([key()]);
    store.dismissSecret();
    expect(store.revealed()).toBeNull();

    await store.create('o1', { name: 'CRM sync', scopes: ['conversations:read'] });
    api.list.mockResolvedValue([key()]);
    await store.load('o1');
    expect(store.revealed()).toBeNull();
  });

  it('says when the caller may not manage keys, and keeps the code of a refused change', async () => {
    const { store, api } = setUp();
    api.list.mockRejectedValue(apiError(403, 'FORBIDDEN'));
    await store.load('o1');
    expect(store.forbidden()).toBe(true);

    api.create.mockRejectedValue(apiError(409, 'API_KEY_LIMIT_REACHED'));
    await expect(store.create('o1', { name: 'One more', scopes: ['sites:read'] })).resolves.toBe(false);
    expect(store.error()).toBe('API_KEY_LIMIT_REACHED');
    expect(store.revealed()).toBeNull();
  });

  it('drops a revoked key from the list', async () => {
    const { store, api } = setUp();
    api.list.mockResolvedValue([key(), key({ id: 'k2', name: 'Warehouse' })]);
    await store.load('o1');
    api.revoke.mockResolvedValue(null);
    await store.revoke('o1', 'k1');
    expect(api.revoke).toHaveBeenCalledWith('o1', 'k1');
    expect(store.keys().map((k) => k.id)).toEqual(['k2']);
  });
});
