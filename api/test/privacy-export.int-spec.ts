import { randomUUID } from 'node:crypto';

import { type ErasureResult } from '@cloop/contracts';

import { exportedEntries } from '../src/privacy/personal-data-registry';
import { createSite, signUp } from './support/factories';
import { openApiValidator, type OpenApiDocument } from './support/openapi-schema';
import { startTestApp } from './support/test-app';
import {
  ORIGIN,
  marker,
  t,
  owner,
  site,
  sisterSite,
  foreignSite,
  sql,
  count,
  exportBy,
  eraseBy,
  documentOf,
  expectCode,
  ledger,
  visitorRecord,
  messageIdsOf,
  visitorWith,
  usePrivacyWorld,
} from './support/privacy-world';
import { route } from '@cloop/client/route';

usePrivacyWorld();

describe('privacy: what a visitor’s export holds, its schema, its size', () => {
  describe('export', () => {
    it("gives one section per registered table with only the subject's rows, by visitor id", async () => {
      const word = marker();
      const subject = await visitorWith(site, `Subject asks ${word}`, {
        email: `${word}@example.com`,
        reply: `Agent answers ${word}`,
      });
      const neighbour = await visitorWith(site, `Neighbour asks ${marker()}`);
      // The same browser on another organization's site is another subject of another controller.
      const elsewhere = await visitorWith(foreignSite, `Elsewhere asks ${marker()}`, {
        visitorId: subject.session.visitorId,
      });
      const sister = await visitorWith(sisterSite, `Sister asks ${marker()}`, {
        visitorId: subject.session.visitorId,
      });

      const response = await exportBy({ visitorId: subject.session.visitorId.toUpperCase() });
      const document = documentOf(response);

      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="cloop-data-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      expect(Object.keys(document.data)).toEqual(['visitors', 'conversations', 'messages']);
      expect(Object.keys(document.data)).toEqual(exportedEntries('visitor').map((entry) => entry.table));
      expect(document.subject).toEqual({ kind: 'visitor', value: subject.session.visitorId });
      expect(document.format).toBe('cloop.privacy-export.v1');

      const record = await visitorRecord(site, subject.session.visitorId);
      expect(document.data['visitors']).toEqual([
        expect.objectContaining({ id: record, visitor_uuid: subject.session.visitorId }),
      ]);
      expect(Object.keys(document.data['visitors']?.[0] ?? {}).sort()).toEqual(
        ['created_at', 'id', 'last_seen_at', 'visitor_uuid'].sort(),
      );
      expect(document.data['conversations']).toEqual([
        expect.objectContaining({
          id: subject.session.conversation.id,
          email: `${word}@example.com`,
          entry_url: 'https://shop.example/products',
          message_count: 3,
        }),
      ]);
      const messages = document.data['messages'] ?? [];
      expect(messages.map((row) => row['id'])).toEqual(await messageIdsOf(subject.conversationIds));
      expect(messages.map((row) => row['author'])).toEqual(['visitor', 'assistant', 'agent']);
      expect(messages.map((row) => row['body'])).toEqual(
        expect.arrayContaining([`Subject asks ${word}`, `Agent answers ${word}`]),
      );

      for (const other of [neighbour, elsewhere, sister]) {
        const otherRecord = await visitorRecord(
          other === elsewhere ? foreignSite : other === sister ? sisterSite : site,
          other.session.visitorId,
        );
        expect(response.text).not.toContain(other.session.conversation.id);
        expect(response.text).not.toContain(otherRecord ?? 'missing');
        for (const id of await messageIdsOf(other.conversationIds)) expect(response.text).not.toContain(id);
      }
      expect(response.text).not.toContain(neighbour.session.visitorId);
      expect(response.text).not.toContain('Neighbour asks');
      expect(response.text).not.toContain('Elsewhere asks');
      expect(response.text).not.toContain('Sister asks');
    });

    it('by email: every visitor record of the site that left it, and no one else', async () => {
      const word = marker();
      const email = `${word}@example.com`;
      const first = await visitorWith(site, `First browser ${word}`, { email });
      const second = await visitorWith(site, `Second browser ${word}`, { email });
      const stranger = await visitorWith(site, `Stranger ${marker()}`, { email: `${marker()}@example.com` });
      const foreign = await visitorWith(foreignSite, `Foreign ${marker()}`, { email });

      const document = documentOf(await exportBy({ email: email.toUpperCase() }));

      expect(document.subject).toEqual({ kind: 'email', value: email });
      expect(Object.keys(document.data)).toEqual(['visitors', 'conversations', 'messages']);
      expect((document.data['visitors'] ?? []).map((row) => row['visitor_uuid']).sort()).toEqual(
        [first.session.visitorId, second.session.visitorId].sort(),
      );
      expect((document.data['conversations'] ?? []).map((row) => row['id']).sort()).toEqual(
        [first.session.conversation.id, second.session.conversation.id].sort(),
      );
      expect((document.data['messages'] ?? []).map((row) => row['id']).sort()).toEqual(
        (await messageIdsOf([...first.conversationIds, ...second.conversationIds])).sort(),
      );
      const text = JSON.stringify(document);
      for (const other of [stranger, foreign]) {
        expect(text).not.toContain(other.session.visitorId);
        expect(text).not.toContain(other.session.conversation.id);
      }
    });

    it("by email on a shared browser: exports only the conversations that email was left in, erases the browser's all", async () => {
      const email = `${marker()}@example.com`;
      const someoneElse = await visitorWith(site, `Someone else asked first ${marker()}`);
      // The team closes that conversation; the next person on the same browser starts a new one.
      await t.http
        .patch(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: someoneElse.session.conversation.id,
          }),
        )
        .set(owner.auth)
        .send({ status: 'closed' })
        .expect(200);
      const subject = await visitorWith(site, `The subject asks ${marker()}`, {
        visitorId: someoneElse.session.visitorId,
        email,
      });
      expect(subject.session.conversation.id).not.toBe(someoneElse.session.conversation.id);

      const document = documentOf(await exportBy({ email }));
      expect((document.data['conversations'] ?? []).map((row) => row['id'])).toEqual([
        subject.session.conversation.id,
      ]);
      expect(JSON.stringify(document)).not.toContain(someoneElse.session.conversation.id);
      expect(JSON.stringify(document)).not.toContain('Someone else asked first');

      const erased = await eraseBy({ email }).expect(200);
      expect((erased.body as ErasureResult).deleted).toMatchObject({ conversations: 2, visitors: 1 });
    });

    it('states what GDPR Art. 15 asks: purposes, recipients, retention, source, rights', async () => {
      const subject = await visitorWith(site, `Facts ${marker()}`);
      const { processing } = documentOf(await exportBy({ visitorId: subject.session.visitorId }));

      expect(processing.controller).toEqual({ organization: "Olivia Owner's organization", site: site.name });
      expect(processing.purposes.length).toBeGreaterThanOrEqual(1);
      expect(processing.legalBasis).toMatch(/Art\. 6/);
      expect(processing.recipients).toEqual([
        { name: "The team of Olivia Owner's organization", purpose: expect.any(String) as string },
      ]);
      expect(processing.retention).toContain('45 days');
      expect(processing.source).toContain(ORIGIN);
      expect(processing.automatedDecisionMaking.length).toBeGreaterThan(0);
      for (const article of ['Art. 15', 'Art. 16', 'Art. 17', 'Art. 20', 'Art. 77'])
        expect(processing.rights.some((right) => right.includes(article))).toBe(true);
    });

    it('names the language-model provider as a recipient when one is configured', async () => {
      const withModel = await startTestApp({
        env: { LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'test-model' },
      });
      try {
        const user = await signUp(withModel.http);
        const shop = await createSite(withModel.http, user, { allowedOrigins: [ORIGIN] });
        const response = await withModel.http
          .post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId: shop.id }))
          .set(user.auth)
          .send({ visitorId: randomUUID() });
        const { processing } = documentOf(response);
        expect(processing.recipients.map((recipient) => recipient.name)).toEqual([
          "The team of Test User's organization",
          'Language-model provider at 127.0.0.1:9',
        ]);
      } finally {
        await withModel.close();
      }
    });

    it('matches PrivacyExportDto, the schema the OpenAPI document names for the response', async () => {
      const openapi = (await t.http.get('/api/openapi.json').expect(200)).body as OpenApiDocument;
      expect(openapi.components.schemas['PrivacyExportDto']).toBeDefined();
      for (const [path, method] of [
        ['/api/v1/sites/{siteId}/privacy/exports', 'post'],
        ['/api/v1/widget/privacy/export', 'get'],
        ['/api/v1/auth/me/export', 'get'],
      ] as const) {
        expect(
          openapi.paths[path]?.[method]?.responses['200']?.content?.['application/json']?.schema,
        ).toEqual({
          $ref: '#/components/schemas/PrivacyExportDto',
        });
      }
      const subject = await visitorWith(site, `Schema ${marker()}`, { email: `${marker()}@example.com` });
      const document = documentOf(await exportBy({ visitorId: subject.session.visitorId }));
      const errorsOf = openApiValidator(openapi);
      expect(errorsOf(document, 'PrivacyExportDto')).toEqual([]);
      // The checker itself rejects a document that does not fit.
      expect(errorsOf({ ...document, format: 'v0', extra: 1 }, 'PrivacyExportDto')).toEqual([
        '/: must NOT have additional properties (extra)',
        '/format: must be equal to one of the allowed values',
      ]);
    });

    it('streams more rows than one batch: every row once, in order, counted in the ledger', async () => {
      const subject = await visitorWith(site, `Long history ${marker()}`);
      const conversationId = subject.session.conversation.id;
      // 1,250 more messages (2½ export batches), written straight into the database.
      await sql(
        `INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
         SELECT $1, $2, 2 + n, gen_random_uuid(), 'visitor', 'bulk ' || n FROM generate_series(1, 1250) AS n`,
        [conversationId, site.id],
      );
      const response = await exportBy({ visitorId: subject.session.visitorId });
      const document = documentOf(response);
      const messages = document.data['messages'] ?? [];
      expect(messages).toHaveLength(1252);
      expect(messages.map((row) => row['seq'])).toEqual(
        Array.from({ length: 1252 }, (_, index) => index + 1),
      );
      expect(new Set(messages.map((row) => row['id'])).size).toBe(1252);
      const [entry] = await ledger();
      expect(entry).toMatchObject({
        kind: 'export',
        counts: { visitors: 1, conversations: 1, messages: 1252 },
      });
    });

    it('exports an unknown subject as empty sections', async () => {
      const document = documentOf(await exportBy({ visitorId: randomUUID() }));
      expect(document.data).toEqual({ visitors: [], conversations: [], messages: [] });
    });
  });

  describe('validation', () => {
    it.each<[string, unknown]>([
      ['both fields', { visitorId: randomUUID(), email: 'a@example.com' }],
      ['neither field', {}],
      ['a visitorId that is not a UUID', { visitorId: 'not-a-uuid' }],
      ['an invalid email', { email: 'not-an-email' }],
      ['an extra property', { visitorId: randomUUID(), reason: 'asked nicely' }],
      ['a null visitorId', { visitorId: null }],
      ['a null email', { email: null }],
      ['a body that is not an object', ['a@example.com']],
    ])('refuses %s with 400 VALIDATION_FAILED and records nothing', async (_, body) => {
      const requests = await count(`SELECT count(*)::int AS count FROM privacy_requests`);
      const events = await count(`SELECT count(*)::int AS count FROM audit_events`);
      expectCode(await exportBy(body as object), 400, 'VALIDATION_FAILED');
      expectCode(await eraseBy(body as object), 400, 'VALIDATION_FAILED');
      expect(await count(`SELECT count(*)::int AS count FROM privacy_requests`)).toBe(requests);
      expect(await count(`SELECT count(*)::int AS count FROM audit_events`)).toBe(events);
    });
  });
});
