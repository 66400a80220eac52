import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
  ConversationPhaseChangedData,
  CreateWebhookRequest,
  ErasureResult,
  ErrorResponse,
  MessageCreatedData,
  Page,
  PrivacyErasedData,
  Site,
  UpdateWebhookRequest,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEventType,
} from '@cloop/contracts';
import { MAX_WEBHOOKS_PER_SITE, WEBHOOK_EVENT_TYPES } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { RetentionService } from '../src/retention/retention.service';

import {
  addMember,
  createSite,
  createVisitorSession,
  findTextAnywhere,
  sendAndAwaitAnswer,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
  uniqueEmail,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { type ReceivedWebhook, verifySignature, WebhookReceiver } from './support/webhook-receiver';

const ORIGIN = 'https://shop.example';
/** Short enough for a test: 5 attempts over about 2 s. */
const RETRY_DELAYS_MS = [150, 300, 600, 1200];

describe('webhooks', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;
  let receiver: WebhookReceiver;

  const webhooksOf = (siteId: string): string => `/api/v1/sites/${siteId}/webhooks`;
  const codeOf = (response: { body: unknown }): string => (response.body as ErrorResponse).code;

  async function subscribe(
    url: string,
    events: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES,
    on: Site = site,
  ): Promise<WebhookEndpointWithSecret> {
    const body: CreateWebhookRequest = { url, events: [...events] };
    const response = await t.http.post(webhooksOf(on.id)).set(owner.auth).send(body).expect(201);
    return response.body as WebhookEndpointWithSecret;
  }

  /** Deletes an endpoint a test made for itself, so later tests' events do not go to it. */
  async function unsubscribe(webhookId: string): Promise<void> {
    await t.http
      .delete(`${webhooksOf(site.id)}/${webhookId}`)
      .set(owner.auth)
      .expect(204);
  }

  async function deliveries(webhookId: string, on: Site = site): Promise<WebhookDelivery[]> {
    const response = await t.http
      .get(`${webhooksOf(on.id)}/${webhookId}/deliveries`)
      .query({ limit: 100 })
      .set(owner.auth)
      .expect(200);
    return (response.body as Page<WebhookDelivery>).items;
  }

  async function waitForDeliveries(
    webhookId: string,
    check: (items: WebhookDelivery[]) => boolean,
    timeoutMs = 15_000,
  ): Promise<WebhookDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const items = await deliveries(webhookId);
      if (check(items)) return items;
      if (Date.now() > deadline) throw new Error(`deliveries never matched: ${JSON.stringify(items)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const signed = (secret: string) => (request: ReceivedWebhook) =>
    verifySignature(secret, request.headers['cloop-signature'] as string | undefined, request.raw);

  beforeAll(async () => {
    t = await startTestApp({
      env: { CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' },
      webhookDelivery: { pollMs: 50, retryDelaysMs: RETRY_DELAYS_MS, timeoutMs: 2000 },
    });
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN], leadCapture: true });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  describe('endpoints and secrets', () => {
    it('shows the secret once on create and never in lists, and stores it encrypted', async () => {
      const created = await subscribe(receiver.url, ['lead.captured']);
      expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
      expect(created.webhook).toMatchObject({ url: receiver.url, events: ['lead.captured'], enabled: true });

      const list = await t.http.get(webhooksOf(site.id)).set(owner.auth).expect(200);
      const one = await t.http
        .get(`${webhooksOf(site.id)}/${created.webhook.id}`)
        .set(owner.auth)
        .expect(200);
      expect(JSON.stringify([list.body, one.body])).not.toContain(created.secret);
      expect((list.body as Page<WebhookEndpoint>).items.map((item) => item.id)).toContain(created.webhook.id);
      expect(Object.keys(one.body as object)).not.toContain('secret');

      const db = t.app.get(DataSource);
      expect(await findTextAnywhere(db, created.secret)).toEqual({});
      expect(await findTextAnywhere(db, created.secret.slice(6))).toEqual({});
      await t.http
        .delete(`${webhooksOf(site.id)}/${created.webhook.id}`)
        .set(owner.auth)
        .expect(204);
    });

    it('signs with the new secret after a rotation, and no longer with the old one', async () => {
      const created = await subscribe(receiver.url, ['lead.captured']);
      const rotated = (
        await t.http
          .post(`${webhooksOf(site.id)}/${created.webhook.id}/rotate-secret`)
          .set(owner.auth)
          .expect(200)
      ).body as WebhookEndpointWithSecret;
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(created.secret);
      expect(Date.parse(rotated.webhook.secretCreatedAt)).toBeGreaterThanOrEqual(
        Date.parse(created.webhook.secretCreatedAt),
      );

      const { eventId } = (
        await t.http
          .post(`${webhooksOf(site.id)}/${created.webhook.id}/test`)
          .set(owner.auth)
          .expect(202)
      ).body as { eventId: string };
      const test = await receiver.waitFor((all) => all.find((request) => request.event.id === eventId));
      expect(test.event).toMatchObject({ type: 'webhook.test', siteId: site.id });
      expect(signed(rotated.secret)(test)).toBe(true);
      expect(signed(created.secret)(test)).toBe(false);
      await t.http
        .delete(`${webhooksOf(site.id)}/${created.webhook.id}`)
        .set(owner.auth)
        .expect(204);
    });

    it('sends nothing to a disabled endpoint and refuses to test it', async () => {
      const created = await subscribe(receiver.url, ['conversation.created']);
      const disable: UpdateWebhookRequest = { enabled: false };
      const updated = await t.http
        .patch(`${webhooksOf(site.id)}/${created.webhook.id}`)
        .set(owner.auth)
        .send(disable)
        .expect(200);
      expect((updated.body as WebhookEndpoint).enabled).toBe(false);
      const refused = await t.http.post(`${webhooksOf(site.id)}/${created.webhook.id}/test`).set(owner.auth);
      expect({ status: refused.status, code: codeOf(refused) }).toEqual({
        status: 409,
        code: 'WEBHOOK_DISABLED',
      });
      await createVisitorSession(t.http, site);
      expect(await deliveries(created.webhook.id)).toEqual([]);
      await t.http
        .delete(`${webhooksOf(site.id)}/${created.webhook.id}`)
        .set(owner.auth)
        .expect(204);
    });
  });

  describe('deliveries', () => {
    it('delivers every event type once, signed as documented, with only the data a receiver needs', async () => {
      const own = await WebhookReceiver.start();
      try {
        const { webhook, secret } = await subscribe(own.url);
        const visitor = await createVisitorSession(t.http, site);
        const conversationId = visitor.conversation.id;
        await sendVisitorMessage(t.http, visitor.headers, 'Do you ship to Finland?');
        const email = uniqueEmail('lead');
        await t.http.put('/api/v1/widget/contact').set(visitor.headers).send({ email }).expect(200);
        await t.http
          .patch(`/api/v1/sites/${site.id}/conversations/${conversationId}`)
          .set(owner.auth)
          .send({ phase: 'learning' })
          .expect(200);
        const other = await createVisitorSession(t.http, site);
        const erased = await t.http
          .post(`/api/v1/sites/${site.id}/privacy/erasures`)
          .set(owner.auth)
          .send({ visitorId: other.visitorId })
          .expect(200);
        expect((erased.body as ErasureResult).deleted['visitors']).toBe(1);

        const received = await own.waitFor((all) =>
          WEBHOOK_EVENT_TYPES.every((type) => all.some((request) => request.event.type === type)) &&
          all.filter((request) => request.event.type === 'conversation.phase_changed').length >= 2
            ? all
            : undefined,
        );
        // Let retries or duplicates show up, were there any.
        await new Promise((resolve) => setTimeout(resolve, 400));
        const ids = own.received.map((request) => request.event.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(own.received.every(signed(secret))).toBe(true);
        for (const request of received) {
          expect(request.headers['content-type']).toBe('application/json');
          expect(request.headers['cloop-event-id']).toBe(request.event.id);
          expect(request.headers['cloop-event-type']).toBe(request.event.type);
          expect(request.headers['cloop-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
          expect(request.event.siteId).toBe(site.id);
        }
        const ofConversation = (type: string) =>
          own.received.filter(
            (request) =>
              request.event.type === type && JSON.stringify(request.event.data).includes(conversationId),
          );
        expect(ofConversation('conversation.created').map((r) => r.event.data)).toEqual([
          {
            conversation: {
              id: conversationId,
              phase: 'exploring',
              entryUrl: 'https://shop.example/products',
              locale: null,
              createdAt: expect.any(String) as unknown,
            },
          },
        ]);
        const visitorMessages = ofConversation('message.created').filter(
          (r) => (r.event.data as MessageCreatedData).message.author === 'visitor',
        );
        expect(visitorMessages.map((r) => r.event.data)).toEqual([
          {
            conversationId,
            message: {
              id: expect.any(String) as unknown,
              seq: 1,
              author: 'visitor',
              body: 'Do you ship to Finland?',
              createdAt: expect.any(String) as unknown,
            },
          },
        ]);
        expect(ofConversation('lead.captured').map((r) => r.event.data)).toEqual([
          { conversationId, email, phase: 'requesting_contact' },
        ]);
        expect(ofConversation('conversation.phase_changed').map((r) => r.event.data)).toEqual(
          expect.arrayContaining([
            { conversationId, from: 'exploring', to: 'requesting_contact' },
            { conversationId, from: 'requesting_contact', to: 'learning' },
          ]),
        );
        const erasure = own.ofType('privacy.erased');
        expect(erasure).toHaveLength(1);
        expect(erasure[0]?.event.data).toEqual({
          requestId: expect.any(String) as unknown,
          conversationIds: [other.conversation.id],
        } satisfies Record<keyof PrivacyErasedData, unknown>);
        // No visitor UUID (the browser's secret) in any payload.
        expect(
          own.received.some((r) => r.raw.includes(visitor.visitorId) || r.raw.includes(other.visitorId)),
        ).toBe(false);

        // The erased visitor's own conversation.created left the log with the erasure.
        const log = await waitForDeliveries(webhook.id, (items) =>
          items.every((item) => item.status === 'succeeded'),
        );
        expect(log.map((item) => item.eventId).sort()).toEqual(
          own.received
            .filter(
              (request) =>
                !request.raw.includes(other.conversation.id) || request.event.type === 'privacy.erased',
            )
            .map((request) => request.event.id)
            .sort(),
        );
        expect(log[0]).toMatchObject({
          attempts: 1,
          lastStatusCode: 200,
          lastError: null,
          nextAttemptAt: null,
        });
        expect(log[0]?.attemptLog).toEqual([
          {
            at: expect.any(String) as unknown,
            statusCode: 200,
            error: null,
            durationMs: expect.any(Number) as unknown,
          },
        ]);
        expect(Object.keys(log[0] ?? {})).not.toContain('payload');
      } finally {
        await own.stop();
      }
    });

    it('reports the assistant moving a conversation from exploring to learning', async () => {
      const own = await WebhookReceiver.start();
      try {
        const shop = await createSite(t.http, owner, {
          name: 'Knowledgeable shop',
          allowedOrigins: [ORIGIN],
        });
        await subscribe(own.url, ['conversation.phase_changed'], shop);
        await t.http
          .post(`/api/v1/sites/${shop.id}/knowledge/sources`)
          .set(owner.auth)
          .send({ type: 'qa', question: 'Do you ship to Finland?', answer: 'Yes, to Finland in three days.' })
          .expect(201);
        const visitor = await createVisitorSession(t.http, shop);
        await sendAndAwaitAnswer(t.http, visitor.headers, 'Do you ship to Finland?');
        const changed = await own.waitFor((all) =>
          all.find((r) => r.event.type === 'conversation.phase_changed'),
        );
        expect(changed.event.data).toEqual({
          conversationId: visitor.conversation.id,
          from: 'exploring',
          to: 'learning',
        } satisfies ConversationPhaseChangedData);
      } finally {
        await own.stop();
      }
    });

    it('fails verification of a tampered payload, a wrong secret and a stale timestamp', async () => {
      const own = await WebhookReceiver.start();
      try {
        const { webhook, secret } = await subscribe(own.url, ['conversation.created']);
        await t.http
          .post(`${webhooksOf(site.id)}/${webhook.id}/test`)
          .set(owner.auth)
          .expect(202);
        const [request] = await own.waitFor((all) => (all.length > 0 ? all : undefined));
        if (!request) throw new Error('nothing received');
        const header = request.headers['cloop-signature'] as string;
        expect(verifySignature(secret, header, request.raw)).toBe(true);
        const tampered = request.raw.replace('test delivery', 'test dElivery');
        expect(tampered).not.toBe(request.raw);
        expect(verifySignature(secret, header, tampered)).toBe(false);
        expect(verifySignature(`${secret}x`, header, request.raw)).toBe(false);
        const sentAt = Number(/t=(\d+)/.exec(header)?.[1]);
        expect(Math.abs(sentAt - Date.now() / 1000)).toBeLessThan(60);
        expect(verifySignature(secret, header, request.raw, sentAt + 301)).toBe(false);
        expect(verifySignature(secret, header, request.raw, sentAt + 299)).toBe(true);
        await unsubscribe(webhook.id);
      } finally {
        await own.stop();
      }
    });

    it('retries a receiver that answers 500 until it answers 200, with backoff', async () => {
      const own = await WebhookReceiver.start();
      own.respond = ({ count }) => (count <= 2 ? 500 : 204);
      try {
        const { webhook } = await subscribe(own.url, ['conversation.created']);
        const visitor = await createVisitorSession(t.http, site);
        const [item] = await waitForDeliveries(webhook.id, (items) => items[0]?.status === 'succeeded');
        expect(item).toMatchObject({ eventType: 'conversation.created', attempts: 3, lastStatusCode: 204 });
        expect(item?.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 500, 204]);
        const times = own.received.map((request) => request.receivedAt);
        expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0] ?? 0);
        expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[1] ?? 0);
        expect(new Set(own.received.map((request) => request.event.id)).size).toBe(1);
        expect(JSON.stringify(own.received[0]?.event.data)).toContain(visitor.conversation.id);
        await unsubscribe(webhook.id);
      } finally {
        await own.stop();
      }
    });

    it('retries a receiver that is down (connection refused) and delivers once it is back', async () => {
      const own = await WebhookReceiver.start();
      await own.stop();
      try {
        const { webhook } = await subscribe(own.url, ['conversation.created']);
        await createVisitorSession(t.http, site);
        const [failed] = await waitForDeliveries(
          webhook.id,
          (items) => (items[0]?.attempts ?? 0) >= 1 && items[0]?.lastError !== null,
        );
        expect(failed).toMatchObject({ status: 'pending', lastStatusCode: null });
        expect(failed?.lastError).toMatch(/ECONNREFUSED/);
        expect(failed?.nextAttemptAt).not.toBeNull();
        await own.listen();
        const [done] = await waitForDeliveries(webhook.id, (items) => items[0]?.status === 'succeeded');
        expect(done?.attempts).toBeGreaterThanOrEqual(2);
        expect(own.received).toHaveLength(1);
        await unsubscribe(webhook.id);
      } finally {
        await own.stop();
      }
    });

    it('gives up after the last attempt of the schedule, says so in the log, and redelivers on request', async () => {
      const own = await WebhookReceiver.start();
      own.respond = () => 503;
      try {
        const { webhook } = await subscribe(own.url, ['conversation.created']);
        await createVisitorSession(t.http, site);
        const [failed] = await waitForDeliveries(webhook.id, (items) => items[0]?.status === 'failed');
        expect(failed).toMatchObject({
          attempts: RETRY_DELAYS_MS.length + 1,
          lastStatusCode: 503,
          nextAttemptAt: null,
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(own.received).toHaveLength(RETRY_DELAYS_MS.length + 1);

        // The receiver is fixed: a redelivery starts a fresh schedule and keeps the earlier log.
        own.respond = () => 200;
        const redeliver = (id: string) =>
          t.http.post(`${webhooksOf(site.id)}/${webhook.id}/deliveries/${id}/redeliver`).set(owner.auth);
        const queued = await redeliver(failed?.id ?? '').expect(202);
        expect(queued.body).toMatchObject({ status: 'pending', attempts: 0 });
        const [redelivered] = await waitForDeliveries(
          webhook.id,
          (items) => items[0]?.status === 'succeeded',
        );
        expect(redelivered).toMatchObject({ attempts: 1, lastStatusCode: 200 });
        expect(redelivered?.attemptLog.map((attempt) => attempt.statusCode)).toEqual([
          ...RETRY_DELAYS_MS.map(() => 503),
          503,
          200,
        ]);
        expect(new Set(own.received.map((r) => r.event.id)).size).toBe(1);
        const unknown = await redeliver(randomUUID());
        expect({ status: unknown.status, code: codeOf(unknown) }).toEqual({
          status: 404,
          code: 'WEBHOOK_DELIVERY_NOT_FOUND',
        });
        await unsubscribe(webhook.id);
      } finally {
        await own.stop();
      }
    });
  });

  describe('privacy', () => {
    it("drops an erased visitor's queued deliveries in the erasure and never sends their data afterwards", async () => {
      // The receiver is down while the visitor chats: every delivery waits for a retry.
      const own = await WebhookReceiver.start();
      await own.stop();
      try {
        const { webhook } = await subscribe(own.url);
        const marker = `zebra${randomUUID().slice(0, 8)}`;
        const email = uniqueEmail('erased');
        const visitor = await createVisitorSession(t.http, site);
        await sendVisitorMessage(t.http, visitor.headers, `My order code is ${marker}`);
        await t.http.put('/api/v1/widget/contact').set(visitor.headers).send({ email }).expect(200);
        await waitForDeliveries(
          webhook.id,
          (items) =>
            items.some((item) => item.eventType === 'lead.captured' && item.lastError !== null) &&
            items.some((item) => item.eventType === 'message.created' && item.lastError !== null),
        );
        const db = t.app.get(DataSource);
        expect(Object.keys(await findTextAnywhere(db, marker))).toContain('webhook_deliveries.payload');

        const erased = await t.http
          .post(`/api/v1/sites/${site.id}/privacy/erasures`)
          .set(owner.auth)
          .send({ visitorId: visitor.visitorId })
          .expect(200);
        expect((erased.body as ErasureResult).deleted['webhook_deliveries']).toBeGreaterThanOrEqual(3);
        expect(await findTextAnywhere(db, marker)).toEqual({});
        expect(await findTextAnywhere(db, email)).toEqual({});
        expect((await deliveries(webhook.id)).map((item) => item.eventType)).toEqual(['privacy.erased']);

        // The receiver is back, and the same browser starts afresh: a new visitor record.
        await own.listen();
        await createVisitorSession(t.http, site, { visitorId: visitor.visitorId });
        await own.waitFor(
          (all) =>
            all.some((r) => r.event.type === 'privacy.erased') &&
            all.some((r) => r.event.type === 'conversation.created'),
        );
        // Longer than the whole retry schedule of anything still queued.
        await new Promise((resolve) =>
          setTimeout(
            resolve,
            RETRY_DELAYS_MS.reduce((a, b) => a + b, 0),
          ),
        );
        const everything = own.received.map((r) => r.raw).join('\n');
        expect(everything).not.toContain(marker);
        expect(everything).not.toContain(email);
        expect(everything).not.toContain(visitor.visitorId);
        const erasure = own.ofType('privacy.erased');
        expect(erasure).toHaveLength(1);
        expect(erasure[0]?.event.data).toEqual({
          requestId: expect.any(String) as unknown,
          conversationIds: [visitor.conversation.id],
        });
        // Only the erasure event names the old conversation, by id, so a receiver can drop its copies.
        expect(
          own.received.filter((r) => r.raw.includes(visitor.conversation.id)).map((r) => r.event.type),
        ).toEqual(['privacy.erased']);
        expect(own.ofType('conversation.created')).toHaveLength(1);
        await unsubscribe(webhook.id);
      } finally {
        await own.stop();
      }
    });
  });

  describe('retention', () => {
    it('drops delivery log rows older than 30 days when retention runs, and keeps newer ones', async () => {
      const { webhook } = await subscribe(receiver.url, ['conversation.created']);
      await t.http
        .post(`${webhooksOf(site.id)}/${webhook.id}/test`)
        .set(owner.auth)
        .expect(202);
      await t.http
        .post(`${webhooksOf(site.id)}/${webhook.id}/test`)
        .set(owner.auth)
        .expect(202);
      const db = t.app.get(DataSource);
      const [old] = await deliveries(webhook.id);
      await db.query(`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE id = $1`, [
        old?.id,
      ]);

      await t.app.get(RetentionService).run();

      const left = await deliveries(webhook.id);
      expect(left).toHaveLength(1);
      expect(left[0]?.id).not.toBe(old?.id);
      await unsubscribe(webhook.id);
    });
  });

  describe('validation and access', () => {
    const invalidBodies: [string, unknown][] = [
      ['an ftp URL', { url: 'ftp://example.com/hooks', events: ['lead.captured'] }],
      ['a URL that is not one', { url: 'not a url', events: ['lead.captured'] }],
      [
        'a URL over 2048 characters',
        { url: `https://example.com/${'a'.repeat(2040)}`, events: ['lead.captured'] },
      ],
      ['credentials in the URL', { url: 'https://user:pass@example.com/hooks', events: ['lead.captured'] }],
      ['no events', { url: 'https://example.com/hooks', events: [] }],
      ['an unknown event', { url: 'https://example.com/hooks', events: ['message.deleted'] }],
      ['events that are not a list', { url: 'https://example.com/hooks', events: 'lead.captured' }],
      ['no URL', { events: ['lead.captured'] }],
      ['an unknown field', { url: 'https://example.com/hooks', events: ['lead.captured'], secret: 'mine' }],
      [
        'enabled that is not a boolean',
        { url: 'https://example.com/hooks', events: ['lead.captured'], enabled: 'yes' },
      ],
    ];

    it.each(invalidBodies)('refuses %s with 400 VALIDATION_FAILED and creates nothing', async (_, body) => {
      const before = await t.http.get(webhooksOf(site.id)).set(owner.auth).expect(200);
      const response = await t.http
        .post(webhooksOf(site.id))
        .set(owner.auth)
        .send(body as object);
      expect({ status: response.status, code: codeOf(response) }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      const after = await t.http.get(webhooksOf(site.id)).set(owner.auth).expect(200);
      expect(after.body).toEqual(before.body);
    });

    it('refuses an update that empties the events or breaks the URL, and changes nothing', async () => {
      const { webhook } = await subscribe('https://example.com/hooks', ['lead.captured']);
      for (const body of [{ events: [] }, { url: 'mailto:team@example.com' }, { enabled: null }]) {
        const response = await t.http
          .patch(`${webhooksOf(site.id)}/${webhook.id}`)
          .set(owner.auth)
          .send(body);
        expect({ status: response.status, code: codeOf(response) }).toEqual({
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      const unchanged = await t.http
        .get(`${webhooksOf(site.id)}/${webhook.id}`)
        .set(owner.auth)
        .expect(200);
      expect(unchanged.body).toEqual(webhook);
      await unsubscribe(webhook.id);
    });

    it(`allows ${MAX_WEBHOOKS_PER_SITE} endpoints per site, then answers 409 WEBHOOK_LIMIT_REACHED`, async () => {
      const full = await createSite(t.http, owner, { name: 'Full site' });
      for (let i = 0; i < MAX_WEBHOOKS_PER_SITE; i++) {
        await subscribe(`https://example.com/hooks/${i}`, ['lead.captured'], full);
      }
      const response = await t.http
        .post(webhooksOf(full.id))
        .set(owner.auth)
        .send({ url: 'https://example.com/one-more', events: ['lead.captured'] });
      expect({ status: response.status, code: codeOf(response) }).toEqual({
        status: 409,
        code: 'WEBHOOK_LIMIT_REACHED',
      });
    });

    it('answers 404 WEBHOOK_NOT_FOUND for an unknown endpoint and for one of another site', async () => {
      const { webhook } = await subscribe('https://example.com/hooks', ['lead.captured']);
      const sibling = await createSite(t.http, owner, { name: 'Sibling' });
      for (const path of [
        `${webhooksOf(site.id)}/${randomUUID()}`,
        `${webhooksOf(sibling.id)}/${webhook.id}`,
        `${webhooksOf(sibling.id)}/${webhook.id}/deliveries`,
      ]) {
        const response = await t.http.get(path).set(owner.auth);
        expect({ path, status: response.status, code: codeOf(response) }).toEqual({
          path,
          status: 404,
          code: 'WEBHOOK_NOT_FOUND',
        });
      }
      for (const request of [
        () => t.http.patch(`${webhooksOf(sibling.id)}/${webhook.id}`).send({ enabled: false }),
        () => t.http.post(`${webhooksOf(sibling.id)}/${webhook.id}/rotate-secret`),
        () => t.http.delete(`${webhooksOf(sibling.id)}/${webhook.id}`),
      ]) {
        const response = await request().set(owner.auth);
        expect({ status: response.status, code: codeOf(response) }).toEqual({
          status: 404,
          code: 'WEBHOOK_NOT_FOUND',
        });
      }
      const malformed = await t.http.get(`${webhooksOf(site.id)}/not-a-uuid`).set(owner.auth);
      expect(codeOf(malformed)).toBe('VALIDATION_FAILED');
      await t.http
        .get(`${webhooksOf(site.id)}/${webhook.id}`)
        .set(owner.auth)
        .expect(200);
    });

    it('refuses another organization (404) and members (403), and lets admins in', async () => {
      const { webhook } = await subscribe('https://example.com/hooks', ['lead.captured']);
      const outsider = await signUp(t.http, { name: 'Outsider' });
      const member = await signUp(t.http, { name: 'Member' });
      const admin = await signUp(t.http, { name: 'Admin' });
      await addMember(t.http, owner, member, 'member');
      await addMember(t.http, owner, admin, 'admin');
      const paths = [webhooksOf(site.id), `${webhooksOf(site.id)}/${webhook.id}/deliveries`];
      for (const path of paths) {
        const foreign = await t.http.get(path).set(outsider.auth);
        expect({ status: foreign.status, code: codeOf(foreign) }).toEqual({
          status: 404,
          code: 'SITE_NOT_FOUND',
        });
        const lower = await t.http.get(path).set(member.auth);
        expect({ status: lower.status, code: codeOf(lower) }).toEqual({ status: 403, code: 'FORBIDDEN' });
        await t.http.get(path).set(admin.auth).expect(200);
      }
      const rotate = await t.http
        .post(`${webhooksOf(site.id)}/${webhook.id}/rotate-secret`)
        .set(outsider.auth);
      expect(rotate.status).toBe(404);
      const create = await t.http
        .post(webhooksOf(site.id))
        .set(outsider.auth)
        .send({ url: 'https://evil.example/hooks', events: ['lead.captured'] });
      expect(create.status).toBe(404);
    });

    it('records endpoint changes in the audit trail without URLs or secrets', async () => {
      const { webhook, secret } = await subscribe('https://example.com/audited?token=abc', ['lead.captured']);
      await t.http
        .post(`${webhooksOf(site.id)}/${webhook.id}/rotate-secret`)
        .set(owner.auth)
        .expect(200);
      await unsubscribe(webhook.id);
      const trail = await t.http
        .get(`/api/v1/organizations/${owner.organizationId}/audit-events`)
        .set(owner.auth)
        .expect(200);
      const events = (trail.body as Page<{ action: string; target: { id: string } | null }>).items.filter(
        (event) => event.target?.id === webhook.id,
      );
      expect(events.map((event) => event.action).sort()).toEqual([
        'webhook.created',
        'webhook.deleted',
        'webhook.secret_rotated',
      ]);
      expect(JSON.stringify(trail.body)).not.toContain('audited');
      expect(JSON.stringify(trail.body)).not.toContain(secret);
    });
  });
});

describe('webhooks without CRAWL_ALLOW_PRIVATE_NETWORKS', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;

  beforeAll(async () => {
    t = await startTestApp({ webhookDelivery: null });
    owner = await signUp(t.http);
    site = await createSite(t.http, owner);
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1:8080/hooks',
    'http://localhost/hooks',
    'http://api.localhost/hooks',
    'http://10.1.2.3/hooks',
    'http://192.168.1.10/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hooks',
    'http://100.64.0.1/hooks',
    'http://[::ffff:127.0.0.1]/hooks',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data',
    'http://[64:ff9b::a00:1]/hooks',
    'http://[fd00::1]/hooks',
    'http://0x7f.1/hooks',
  ])('refuses a receiver on the server’s own networks: %s', async (url) => {
    const response = await t.http
      .post(`/api/v1/sites/${site.id}/webhooks`)
      .set(owner.auth)
      .send({ url, events: ['lead.captured'] } satisfies CreateWebhookRequest);
    expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  // Deliveries are off in this app: creating the endpoint sends nothing to these real addresses.
  it.each(['https://8.8.8.8/hooks', 'http://[2606:4700:4700::1111]/hooks', 'https://[::ffff:8.8.8.8]/hooks'])(
    'accepts a receiver at the public address %s',
    async (url) => {
      const created = await t.http
        .post(`/api/v1/sites/${site.id}/webhooks`)
        .set(owner.auth)
        .send({ url, events: ['lead.captured'] } satisfies CreateWebhookRequest);
      expect(created.status).toBe(201);
      await t.http
        .delete(`/api/v1/sites/${site.id}/webhooks/${(created.body as WebhookEndpointWithSecret).webhook.id}`)
        .set(owner.auth)
        .expect(204);
    },
  );
});

describe('webhook deliveries at shutdown', () => {
  it('cuts an attempt in flight short instead of waiting for the receiver', async () => {
    const t = await startTestApp({
      env: { CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' },
      webhookDelivery: { pollMs: 20, timeoutMs: 60_000 },
    });
    // A receiver that takes the request and never answers.
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    let arrived = false;
    hanging.on('request', () => (arrived = true));
    try {
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner);
      const created = await t.http
        .post(`/api/v1/sites/${site.id}/webhooks`)
        .set(owner.auth)
        .send({
          url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hooks`,
          events: ['lead.captured'],
        } satisfies CreateWebhookRequest)
        .expect(201);
      const { webhook } = created.body as WebhookEndpointWithSecret;
      await t.http.post(`/api/v1/sites/${site.id}/webhooks/${webhook.id}/test`).set(owner.auth).expect(202);
      const deadline = Date.now() + 10_000;
      while (!arrived && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(arrived).toBe(true);

      const started = Date.now();
      await t.close();
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});

const sharedServers = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

(sharedServers ? describe : describe.skip)('webhooks with two replicas sharing PostgreSQL and Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let receiver: WebhookReceiver;
  const settings = { pollMs: 20, retryDelaysMs: RETRY_DELAYS_MS, timeoutMs: 2000 };

  beforeAll(async () => {
    a = await startTestApp({ env: { CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' }, webhookDelivery: settings });
    b = await startTestApp({
      env: { ...a.sharedEnv, CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' },
      webhookDelivery: settings,
    });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await receiver.stop();
  });

  it('delivers each event once, although both replicas run a worker and see every event over Redis', async () => {
    const owner = await signUp(a.http);
    const site = await createSite(a.http, owner, { allowedOrigins: [ORIGIN] });
    const created = await a.http
      .post(`/api/v1/sites/${site.id}/webhooks`)
      .set(owner.auth)
      .send({
        url: receiver.url,
        events: ['conversation.created', 'message.created'],
      } satisfies CreateWebhookRequest)
      .expect(201);
    const { secret } = created.body as WebhookEndpointWithSecret;
    const visitors = 6;
    for (let i = 0; i < visitors; i++) {
      const replica = i % 2 === 0 ? a : b;
      const visitor = await createVisitorSession(replica.http, site);
      await sendVisitorMessage(replica.http, visitor.headers, `Question ${i}`);
    }
    await receiver.waitFor(
      (all) => all.filter((r) => r.event.type === 'conversation.created').length >= visitors,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = receiver.received.map((request) => request.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(receiver.ofType('conversation.created')).toHaveLength(visitors);
    expect(
      receiver
        .ofType('message.created')
        .filter((r) => (r.event.data as MessageCreatedData).message.author === 'visitor'),
    ).toHaveLength(visitors);
    expect(
      receiver.received.every((request) =>
        verifySignature(secret, request.headers['cloop-signature'] as string, request.raw),
      ),
    ).toBe(true);
  });
});
