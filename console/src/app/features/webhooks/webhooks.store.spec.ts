import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ErrorResponse, WebhookDelivery, WebhookEndpoint } from '@cloop/contracts';

import { SiteContext } from '../../core/site/site-context';
import { WebhooksApi } from './webhooks.api';
import { lastOutcome, WebhooksStore } from './webhooks.store';

const endpoint = (overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: 'w1',
  siteId: 's1',
  url: 'https://crm.example.com/hooks',
  events: ['lead.captured'],
  enabled: true,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  secretCreatedAt: '2026-11-29T10:00:00.000Z',
  ...overrides,
});

const delivery = (overrides: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: 'd1',
  webhookId: 'w1',
  eventId: 'e1',
  eventType: 'lead.captured',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: '2026-11-29T10:00:30.000Z',
  lastStatusCode: null,
  lastError: null,
  attemptLog: [],
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  ...overrides,
});

const apiError = (status: number, code: ErrorResponse['code']) =>
  new HttpErrorResponse({ status, error: { statusCode: status, error: 'x', message: 'x', code } });

function setUp(siteId: string | null = 's1') {
  const api = {
    list: jest.fn(),
    create: jest.fn(),
    update: jest.fn(),
    remove: jest.fn(),
    rotateSecret: jest.fn(),
    test: jest.fn(),
    deliveries: jest.fn(),
    redeliver: jest.fn(),
  };
  TestBed.configureTestingModule({
    providers: [
      WebhooksStore,
      { provide: WebhooksApi, useValue: api },
      { provide: SiteContext, useValue: { siteId: signal(siteId) } },
    ],
  });
  return { store: TestBed.inject(WebhooksStore), api };
}

describe('WebhooksStore', () => {
  it('shows the secret of a new endpoint once, and forgets it when dismissed', async () => {
    const { store, api } = setUp();
    api.list.mockResolvedValue({ items: [], nextCursor: null });
    await store.load();
    api.create.mockResolvedValue({ webhook: endpoint(), secret: 'whsec_abc' });

    await expect(store.create('  https://crm.example.com/hooks ', ['lead.captured'])).resolves.toBe(true);

    expect(api.create).toHaveBeenCalledWith('s1', {
      url: 'https://crm.example.com/hooks',
      events: ['lead.captured'],
    });
    expect(store.endpoints().map((item) => item.id)).toEqual(['w1']);
    expect(store.revealed()).toEqual({ webhookId: 'w1', secret: 'whsec_abc' });
    expect(JSON.stringify(store.endpoints())).not.toContain('whsec_abc');
    store.dismissSecret();
    expect(store.revealed()).toBeNull();
  });

  it('reveals the new secret after a rotation and updates the endpoint', async () => {
    const { store, api } = setUp();
    api.list.mockResolvedValue({ items: [endpoint()], nextCursor: null });
    await store.load();
    const rotatedAt = '2026-11-29T11:00:00.000Z';
    api.rotateSecret.mockResolvedValue({
      webhook: endpoint({ secretCreatedAt: rotatedAt }),
      secret: 'whsec_new',
    });

    await store.rotate('w1');

    expect(store.revealed()).toEqual({ webhookId: 'w1', secret: 'whsec_new' });
    expect(store.endpoints()[0]?.secretCreatedAt).toBe(rotatedAt);
  });

  it('keeps the API error code for the page and changes nothing when a change is refused', async () => {
    const { store, api } = setUp();
    api.list.mockResolvedValue({ items: [endpoint()], nextCursor: null });
    await store.load();
    api.create.mockRejectedValue(apiError(409, 'WEBHOOK_LIMIT_REACHED'));

    await expect(store.create('https://x.example/h', ['lead.captured'])).resolves.toBe(false);

    expect(store.error()).toBe('WEBHOOK_LIMIT_REACHED');
    expect(store.revealed()).toBeNull();
    expect(store.endpoints()).toHaveLength(1);
    expect(store.busy()).toBe(false);
  });

  it('works on the site selected in the shell, and asks nothing while none is', async () => {
    const { store, api } = setUp(null);
    await store.load();
    await expect(store.create('https://x.example/h', ['lead.captured'])).resolves.toBe(false);
    expect(api.list).not.toHaveBeenCalled();
    expect(api.create).not.toHaveBeenCalled();
  });

  it('says when the caller is not an admin', async () => {
    const { store, api } = setUp();
    api.list.mockRejectedValue(apiError(403, 'FORBIDDEN'));
    await store.load();
    expect(store.forbidden()).toBe(true);
    expect(store.endpoints()).toEqual([]);
  });

  it('toggles an endpoint, and drops a deleted one with its open log', async () => {
    const { store, api } = setUp();
    api.list.mockResolvedValue({ items: [endpoint()], nextCursor: null });
    await store.load();
    api.update.mockResolvedValue(endpoint({ enabled: false }));
    await store.setEnabled('w1', false);
    expect(api.update).toHaveBeenCalledWith('s1', 'w1', { enabled: false });
    expect(store.endpoints()[0]?.enabled).toBe(false);

    api.deliveries.mockResolvedValue({ items: [delivery()], nextCursor: null });
    await store.loadDeliveries('w1');
    expect(store.openLog()).toBe('w1');
    api.remove.mockResolvedValue(undefined);
    await store.remove('w1');
    expect(store.endpoints()).toEqual([]);
    expect(store.openLog()).toBeNull();
    expect(store.deliveries()).toEqual([]);
  });

  it('pages through the delivery log with the cursor', async () => {
    const { store, api } = setUp();
    api.deliveries
      .mockResolvedValueOnce({ items: [delivery({ id: 'd1' })], nextCursor: 'c1' })
      .mockResolvedValueOnce({ items: [delivery({ id: 'd2' })], nextCursor: null });
    await store.loadDeliveries('w1');
    await store.loadDeliveries('w1', true);
    expect(api.deliveries).toHaveBeenLastCalledWith('s1', 'w1', 'c1');
    expect(store.deliveries().map((item) => item.id)).toEqual(['d1', 'd2']);
    expect(store.deliveriesCursor()).toBeNull();
  });

  it('shows a redelivered delivery as pending again in the open log', async () => {
    const { store, api } = setUp();
    api.deliveries.mockResolvedValue({
      items: [delivery({ id: 'd1', status: 'failed', attempts: 7, nextAttemptAt: null })],
      nextCursor: null,
    });
    await store.loadDeliveries('w1');
    api.redeliver.mockResolvedValue(delivery({ id: 'd1', status: 'pending', attempts: 0 }));

    await expect(store.redeliver('w1', 'd1')).resolves.toBe(true);

    expect(api.redeliver).toHaveBeenCalledWith('s1', 'w1', 'd1');
    expect(store.deliveries()[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('shows the last response code, else the error, else nothing', () => {
    expect(lastOutcome(delivery({ lastStatusCode: 500 }))).toBe('500');
    expect(lastOutcome(delivery({ lastError: 'ECONNREFUSED: connect ECONNREFUSED' }))).toMatch(
      /ECONNREFUSED/,
    );
    expect(lastOutcome(delivery())).toBeNull();
  });
});
