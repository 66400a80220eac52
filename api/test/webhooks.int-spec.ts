import { randomUUID } from 'node:crypto';
import type {
  ErasureResult,
  Page,
  UpdateWebhookRequest,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from '@cloop/contracts';
import { MAX_WEBHOOKS_PER_SITE } from '@cloop/contracts';
import { DataSource } from 'typeorm';
import { RetentionService } from '../src/retention/retention.service';
import {
  addMember,
  createSite,
  createVisitorSession,
  findTextAnywhere,
  sendVisitorMessage,
  signUp,
  uniqueEmail,
} from './support/factories';
import { WebhookReceiver } from './support/webhook-receiver';
import {
  RETRY_DELAYS_MS,
  t,
  owner,
  site,
  receiver,
  webhooksOf,
  codeOf,
  subscribe,
  unsubscribe,
  deliveries,
  waitForDeliveries,
  signed,
  useWebhooksWorld,
} from './support/webhooks-world';
import { route } from '@cloop/client/route';

useWebhooksWorld();

describe('webhooks: endpoints, secrets, privacy, retention, validation and access', () => {
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
        await t.http.put(route('/api/v1/widget/contact')).set(visitor.headers).send({ email }).expect(200);
        await waitForDeliveries(
          webhook.id,
          (items) =>
            items.some((item) => item.eventType === 'lead.captured' && item.lastError !== null) &&
            items.some((item) => item.eventType === 'message.created' && item.lastError !== null),
        );
        const db = t.app.get(DataSource);
        expect(Object.keys(await findTextAnywhere(db, marker))).toContain('webhook_deliveries.payload');

        const erased = await t.http
          .post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId: site.id }))
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
        .get(route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId }))
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
