import { randomUUID } from 'node:crypto';
import type {
  ConversationPhaseChangedData,
  ErasureResult,
  MessageCreatedData,
  PrivacyErasedData,
} from '@cloop/contracts';
import { WEBHOOK_EVENT_TYPES } from '@cloop/contracts';
import {
  createSite,
  createVisitorSession,
  sendAndAwaitAnswer,
  sendVisitorMessage,
  uniqueEmail,
} from './support/factories';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';
import {
  ORIGIN,
  RETRY_DELAYS_MS,
  t,
  owner,
  site,
  webhooksOf,
  codeOf,
  subscribe,
  unsubscribe,
  waitForDeliveries,
  signed,
  useWebhooksWorld,
} from './support/webhooks-world';
import { route } from '@cloop/client/route';

useWebhooksWorld();

describe('webhooks: deliveries, signed, retried, in order', () => {
  describe('deliveries', () => {
    it('delivers every event type once, signed as documented, with only the data a receiver needs', async () => {
      const own = await WebhookReceiver.start();
      try {
        const { webhook, secret } = await subscribe(own.url);
        const visitor = await createVisitorSession(t.http, site);
        const conversationId = visitor.conversation.id;
        await sendVisitorMessage(t.http, visitor.headers, 'Do you ship to Finland?');
        const email = uniqueEmail('lead');
        await t.http.put(route('/api/v1/widget/contact')).set(visitor.headers).send({ email }).expect(200);
        await t.http
          .patch(
            route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
              siteId: site.id,
              conversationId,
            }),
          )
          .set(owner.auth)
          .send({ phase: 'learning' })
          .expect(200);
        const other = await createVisitorSession(t.http, site);
        const erased = await t.http
          .post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId: site.id }))
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
          .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: shop.id }))
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
});
