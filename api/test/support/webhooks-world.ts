// The world the webhook specs share: an owner's site with lead capture, a receiver on loopback,
// and helpers to subscribe and read deliveries. Each spec file calls useWebhooksWorld() once at its
// top: a fresh app per file, and these bindings (live ES-module exports) point at that file's world.
import type {
  CreateWebhookRequest,
  ErrorResponse,
  Page,
  Site,
  WebhookDelivery,
  WebhookEndpointWithSecret,
  WebhookEventType,
} from '@cloop/contracts';
import { WEBHOOK_EVENT_TYPES } from '@cloop/contracts';

import { createSite, type SignedUpUser, signUp } from './factories';
import { startTestApp, type TestApp } from './test-app';
import { type ReceivedWebhook, verifySignature, WebhookReceiver } from './webhook-receiver';
import { route } from '@cloop/client/route';

export const ORIGIN = 'https://shop.example';
/** Short enough for a test: 5 attempts over about 2 s. */
export const RETRY_DELAYS_MS = [150, 300, 600, 1200];

export let t: TestApp;
export let owner: SignedUpUser;
export let site: Site;
export let receiver: WebhookReceiver;

export const webhooksOf = (siteId: string): string => route('/api/v1/sites/{siteId}/webhooks', { siteId });
export const codeOf = (response: { body: unknown }): string => (response.body as ErrorResponse).code;

export async function subscribe(
  url: string,
  events: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES,
  on: Site = site,
): Promise<WebhookEndpointWithSecret> {
  const body: CreateWebhookRequest = { url, events: [...events] };
  const response = await t.http.post(webhooksOf(on.id)).set(owner.auth).send(body).expect(201);
  return response.body as WebhookEndpointWithSecret;
}

/** Deletes an endpoint a test made for itself, so later tests' events do not go to it. */
export async function unsubscribe(webhookId: string): Promise<void> {
  await t.http
    .delete(`${webhooksOf(site.id)}/${webhookId}`)
    .set(owner.auth)
    .expect(204);
}

export async function deliveries(webhookId: string, on: Site = site): Promise<WebhookDelivery[]> {
  const response = await t.http
    .get(`${webhooksOf(on.id)}/${webhookId}/deliveries`)
    .query({ limit: 100 })
    .set(owner.auth)
    .expect(200);
  return (response.body as Page<WebhookDelivery>).items;
}

export async function waitForDeliveries(
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

export const signed = (secret: string) => (request: ReceivedWebhook) =>
  verifySignature(secret, request.headers['cloop-signature'] as string | undefined, request.raw);

/** Registers the world's hooks: call once, at the top of a spec file. */
export function useWebhooksWorld(): void {
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
}
