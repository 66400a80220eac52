import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  CreateWebhookRequest,
  ErrorResponse,
  MessageCreatedData,
  Site,
  WebhookEndpointWithSecret,
} from '@cloop/contracts';
import {
  createSite,
  createVisitorSession,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';
import { ORIGIN, RETRY_DELAYS_MS } from './support/webhooks-world';
import { route } from '@cloop/client/route';

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
      .post(route('/api/v1/sites/{siteId}/webhooks', { siteId: site.id }))
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
        .post(route('/api/v1/sites/{siteId}/webhooks', { siteId: site.id }))
        .set(owner.auth)
        .send({ url, events: ['lead.captured'] } satisfies CreateWebhookRequest);
      expect(created.status).toBe(201);
      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}', {
            siteId: site.id,
            webhookId: (created.body as WebhookEndpointWithSecret).webhook.id,
          }),
        )
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
        .post(route('/api/v1/sites/{siteId}/webhooks', { siteId: site.id }))
        .set(owner.auth)
        .send({
          url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hooks`,
          events: ['lead.captured'],
        } satisfies CreateWebhookRequest)
        .expect(201);
      const { webhook } = created.body as WebhookEndpointWithSecret;
      await t.http
        .post(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}/test', {
            siteId: site.id,
            webhookId: webhook.id,
          }),
        )
        .set(owner.auth)
        .expect(202);
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
      .post(route('/api/v1/sites/{siteId}/webhooks', { siteId: site.id }))
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
