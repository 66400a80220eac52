import { randomBytes, randomUUID } from 'node:crypto';

import {
  type AuditEvent,
  type ErasureResult,
  type ErrorResponse,
  type Page,
  type PrivacyExport,
  type PrivacyRequest,
  REALTIME_CLOSE_CODES,
  type Site,
  type WidgetSessionResponse,
} from '@cloop/contracts';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import { exportedEntries } from '../src/privacy/personal-data-registry';
import {
  addMember,
  countAllRows,
  createSite,
  createVisitorSession,
  findTextAnywhere,
  findUuidAnywhere,
  sendAndAwaitAnswer,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
  visitorHeaders,
  type VisitorSession,
} from './support/factories';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';

const ORIGIN = 'https://shop.example';
const OTHER_ORIGIN = 'https://other.example';

/** A word no table holds by chance: letters g–z only, so it never matches hex ids or hashes. */
function marker(length = 10): string {
  const letters = 'ghijklmnopqrstuvwxyz';
  return [...randomBytes(length)].map((byte) => letters[byte % letters.length] ?? 'z').join('');
}

/** The same instant one calendar month later (the day clamped to the month's last), in UTC. */
function oneMonthAfter(iso: string): string {
  const at = new Date(iso);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  ).toISOString();
}

type Schema = Record<string, unknown>;

/**
 * Checks a value against an OpenAPI 3 schema (the subset Nest's generator writes: $ref, allOf,
 * type, properties, required, additionalProperties, items, enum, nullable). Undeclared properties
 * count as errors unless `additionalProperties` allows them: the document must say what it holds.
 */
function schemaErrors(
  value: unknown,
  schema: Schema,
  components: Record<string, Schema>,
  path = '$',
): string[] {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = components[ref.replace('#/components/schemas/', '')];
    return target ? schemaErrors(value, target, components, path) : [`${path}: unresolved ${ref}`];
  }
  const allOf = schema['allOf'];
  if (Array.isArray(allOf)) {
    return (allOf as Schema[]).flatMap((part) => schemaErrors(value, part, components, path));
  }
  if (value === null) return schema['nullable'] === true ? [] : [`${path}: null but not nullable`];
  const errors: string[] = [];
  const enumeration = schema['enum'];
  if (Array.isArray(enumeration) && !enumeration.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  const type = schema['type'];
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: not a string`];
      if (schema['format'] === 'date-time' && Number.isNaN(Date.parse(value)))
        errors.push(`${path}: not a date-time`);
      if (schema['format'] === 'uuid' && !/^[0-9a-f-]{36}$/.test(value)) errors.push(`${path}: not a uuid`);
      return errors;
    case 'integer':
      return Number.isInteger(value) ? errors : [`${path}: not an integer`];
    case 'number':
      return typeof value === 'number' ? errors : [`${path}: not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? errors : [`${path}: not a boolean`];
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: not an array`];
      const items = schema['items'] as Schema | undefined;
      return items
        ? [
            ...errors,
            ...value.flatMap((item, index) => schemaErrors(item, items, components, `${path}[${index}]`)),
          ]
        : errors;
    }
    case 'object':
    case undefined: {
      if (type === undefined && schema['properties'] === undefined) return errors;
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
      const record = value as Record<string, unknown>;
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      const required = (schema['required'] ?? []) as string[];
      for (const name of required) if (!(name in record)) errors.push(`${path}.${name}: missing`);
      const additional = schema['additionalProperties'] as Schema | boolean | undefined;
      for (const [name, item] of Object.entries(record)) {
        const declared = properties[name];
        if (declared) errors.push(...schemaErrors(item, declared, components, `${path}.${name}`));
        else if (additional === true) continue;
        else if (additional && typeof additional === 'object')
          errors.push(...schemaErrors(item, additional, components, `${path}.${name}`));
        else errors.push(`${path}.${name}: not in the schema`);
      }
      return errors;
    }
    default:
      return [`${path}: unknown schema type ${String(type)}`];
  }
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

describe('privacy: visitors’ data for the team and for visitors themselves', () => {
  let t: TestApp;
  let host: string;
  let db: DataSource;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let otherOwner: SignedUpUser;
  let site: Site;
  let sisterSite: Site;
  let foreignSite: Site;
  const sockets: RealtimeClient[] = [];

  const sql = <T>(query: string, params: unknown[] = []) => db.query<T>(query, params);
  const count = async (query: string, params: unknown[] = []) =>
    (await sql<{ count: number }[]>(query, params))[0]?.count ?? -1;
  const base = (siteId = site.id) => `/api/v1/sites/${siteId}/privacy`;
  const exportBy = (body: object, siteId = site.id, user: SignedUpUser = admin) =>
    t.http
      .post(`${base(siteId)}/exports`)
      .set(user.auth)
      .send(body);
  const eraseBy = (body: object, siteId = site.id, user: SignedUpUser = admin) =>
    t.http
      .post(`${base(siteId)}/erasures`)
      .set(user.auth)
      .send(body);
  const documentOf = (response: Response): PrivacyExport => {
    expect(response.status).toBe(200);
    return JSON.parse(response.text) as PrivacyExport;
  };
  const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
    expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
      status,
      code,
    });
  };
  const ledger = async (siteId = site.id, user: SignedUpUser = admin): Promise<PrivacyRequest[]> => {
    const items: PrivacyRequest[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
      const response = await t.http
        .get(`${base(siteId)}/requests?${query.toString()}`)
        .set(user.auth)
        .expect(200);
      const page = response.body as Page<PrivacyRequest>;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  const visitorRecord = async (on: Site, visitorUuid: string) =>
    (
      await sql<{ id: string }[]>(`SELECT id FROM visitors WHERE site_id = $1 AND visitor_uuid = $2`, [
        on.id,
        visitorUuid,
      ])
    )[0]?.id ?? null;
  const messageIdsOf = async (conversationIds: string[]) =>
    (
      await sql<{ id: string }[]>(
        `SELECT id FROM messages WHERE conversation_id = ANY($1) ORDER BY conversation_id, seq`,
        [conversationIds],
      )
    ).map((row) => row.id);
  const agentReply = (on: Site, conversationId: string, body: string) =>
    t.http
      .post(`/api/v1/sites/${on.id}/conversations/${conversationId}/messages`)
      .set(member.auth)
      .send({ id: randomUUID(), body })
      .expect(201);
  const closeConversation = (on: Site, conversationId: string) =>
    t.http
      .patch(`/api/v1/sites/${on.id}/conversations/${conversationId}`)
      .set(admin.auth)
      .send({ status: 'closed' })
      .expect(200);

  interface Visitor {
    session: VisitorSession;
    conversationIds: string[];
  }
  /** A visitor with one settled exchange (question, answer) and optionally an email and a reply. */
  const visitorWith = async (
    on: Site,
    text: string,
    options: { visitorId?: string; email?: string; reply?: string; origin?: string } = {},
  ): Promise<Visitor> => {
    const session = await createVisitorSession(t.http, on, {
      ...(options.visitorId ? { visitorId: options.visitorId } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
    });
    await sendAndAwaitAnswer(t.http, session.headers, text);
    if (options.email)
      await t.http
        .put('/api/v1/widget/contact')
        .set(session.headers)
        .send({ email: options.email })
        .expect(200);
    if (options.reply) await agentReply(on, session.conversation.id, options.reply);
    return { session, conversationIds: [session.conversation.id] };
  };

  const connect = async (origin?: string) => {
    const socket = await RealtimeClient.connect(host, origin);
    sockets.push(socket);
    return socket;
  };
  const visitorSocket = async (on: Site, visitorId: string) => {
    const socket = await connect(on.allowedOrigins[0]);
    socket.send({ type: 'auth', siteKey: on.publicKey, visitorId });
    await socket.next(ofType('ready'));
    return socket;
  };
  const consoleSocket = async (user: SignedUpUser, siteId: string) => {
    const socket = await connect();
    socket.send({ type: 'auth', accessToken: user.accessToken });
    await socket.next(ofType('ready'));
    socket.send({ type: 'subscribe', siteId });
    await socket.next(ofType('subscribed'));
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp();
    host = await t.listen();
    db = t.app.get(DataSource);
    owner = await signUp(t.http, { name: 'Olivia Owner' });
    admin = await signUp(t.http, { name: 'Aino Admin' });
    member = await signUp(t.http, { name: 'Maija Member' });
    otherOwner = await signUp(t.http, { name: 'Otto Other' });
    await addMember(t.http, owner, admin, 'admin');
    await addMember(t.http, owner, member, 'member');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN], retentionDays: 45 });
    sisterSite = await createSite(t.http, owner, { name: 'Sister shop', allowedOrigins: [ORIGIN] });
    foreignSite = await createSite(t.http, otherOwner, {
      name: 'Foreign shop',
      allowedOrigins: [OTHER_ORIGIN],
    });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => t.close());

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
        .patch(`/api/v1/sites/${site.id}/conversations/${someoneElse.session.conversation.id}`)
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
          .post(`/api/v1/sites/${shop.id}/privacy/exports`)
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
      const schemas = openapi.components.schemas;
      expect(schemas['PrivacyExportDto']).toBeDefined();
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
      expect(schemaErrors(document, { $ref: '#/components/schemas/PrivacyExportDto' }, schemas)).toEqual([]);
      // The checker itself rejects a document that does not fit.
      expect(
        schemaErrors(
          { ...document, format: 'v0', extra: 1 },
          { $ref: '#/components/schemas/PrivacyExportDto' },
          schemas,
        ),
      ).toEqual(['$.format: "v0" not in enum', '$.extra: not in the schema']);
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

  describe('erasure', () => {
    it('leaves no trace of the subject in any column of any table (canary), and others untouched', async () => {
      const word = marker();
      const localeTag = `en-${marker(8)}`;
      const email = `${word}+x@example.com`;
      const visitorId = randomUUID();
      // Two conversations: the first closed by the team, the second opened on another page.
      const first = await createVisitorSession(t.http, site, {
        visitorId,
        entryUrl: `${ORIGIN}/${word}/first?token=${word}`,
        locale: localeTag,
      });
      await sendAndAwaitAnswer(t.http, first.headers, `My order ${word} is late`);
      await t.http.put('/api/v1/widget/contact').set(first.headers).send({ email }).expect(200);
      await agentReply(site, first.conversation.id, `About ${word}: it ships today`);
      await closeConversation(site, first.conversation.id);
      const second = await createVisitorSession(t.http, site, {
        visitorId,
        entryUrl: `${ORIGIN}/${word}/second`,
        locale: localeTag,
      });
      expect(second.conversation.id).not.toBe(first.conversation.id);
      await sendAndAwaitAnswer(t.http, second.headers, `Still waiting for ${word}`);
      await t.http.put('/api/v1/widget/contact').set(second.headers).send({ email }).expect(200);
      await agentReply(site, second.conversation.id, `Sorry ${word}, refund on its way`);

      const record = await visitorRecord(site, visitorId);
      const conversations = [first.conversation.id, second.conversation.id];
      const messages = await messageIdsOf(conversations);
      expect(messages).toHaveLength(6);
      // The canary is really there, in every free-text field the subject can fill.
      expect(await findTextAnywhere(db, word)).toEqual({
        'conversations.email': 2,
        'conversations.entry_url': 2,
        'conversations.last_message_preview': 2,
        'messages.body': expect.any(Number) as number,
      });
      expect(Object.keys(await findTextAnywhere(db, localeTag))).toEqual(['conversations.locale']);

      const neighbour = await visitorWith(site, `Neighbour ${marker()}`, {
        email: `n-${marker()}@example.com`,
      });
      // The same browser on the organization's other site and on another organization's site.
      const sister = await visitorWith(sisterSite, `Sister ${marker()}`, { visitorId });
      const foreign = await visitorWith(foreignSite, `Foreign ${marker()}`, { visitorId });
      const others = [...neighbour.conversationIds, ...sister.conversationIds, ...foreign.conversationIds];
      const othersBefore = await messageIdsOf(others);
      const totalsBefore = await countAllRows(db);

      const response = await eraseBy({ email: email.toUpperCase() }).expect(200);

      expect(response.body as ErasureResult).toEqual({
        deleted: { messages: 6, conversations: 2, visitors: 1, webhook_deliveries: 0 },
      });
      expect(await findTextAnywhere(db, word)).toEqual({});
      expect(await findTextAnywhere(db, localeTag)).toEqual({});
      expect(await findTextAnywhere(db, visitorId)).toEqual({});
      // The browser's UUID stays only with the other controllers' sites it visited.
      expect(await findUuidAnywhere(db, visitorId)).toEqual({ 'visitors.visitor_uuid': 2 });
      for (const id of [record ?? 'missing', ...conversations, ...messages]) {
        expect(await findUuidAnywhere(db, id)).toEqual({});
        expect(await findTextAnywhere(db, id)).toEqual({});
      }

      expect(await messageIdsOf(others)).toEqual(othersBefore);
      for (const [on, other] of [
        [site, neighbour],
        [sisterSite, sister],
        [foreignSite, foreign],
      ] as const) {
        expect(await visitorRecord(on, other.session.visitorId)).not.toBeNull();
      }
      const totalsAfter = await countAllRows(db);
      expect(totalsAfter).toEqual({
        ...totalsBefore,
        messages: (totalsBefore['messages'] ?? 0) - 6,
        conversations: (totalsBefore['conversations'] ?? 0) - 2,
        visitors: (totalsBefore['visitors'] ?? 0) - 1,
        privacy_requests: (totalsBefore['privacy_requests'] ?? 0) + 1,
        audit_events: (totalsBefore['audit_events'] ?? 0) + 1,
      });
    });

    it('erases by visitor id, only that visitor', async () => {
      const subject = await visitorWith(site, `Erase me ${marker()}`, { reply: 'Noted' });
      const neighbour = await visitorWith(site, `Keep me ${marker()}`);
      const neighbourMessages = await messageIdsOf(neighbour.conversationIds);

      const response = await eraseBy({ visitorId: subject.session.visitorId }).expect(200);

      expect(response.body as ErasureResult).toEqual({
        deleted: { messages: 3, conversations: 1, visitors: 1, webhook_deliveries: 0 },
      });
      expect(await visitorRecord(site, subject.session.visitorId)).toBeNull();
      expect(await messageIdsOf(subject.conversationIds)).toEqual([]);
      expect(await messageIdsOf(neighbour.conversationIds)).toEqual(neighbourMessages);
      // A second erasure of the same subject finds nothing left.
      expect((await eraseBy({ visitorId: subject.session.visitorId }).expect(200)).body).toEqual({
        deleted: { messages: 0, conversations: 0, visitors: 0, webhook_deliveries: 0 },
      });
    });

    it('answers an unknown subject with zero counts, and records the request', async () => {
      const before = await ledger();
      const response = await eraseBy({ email: `${marker()}@example.com` }).expect(200);
      expect(response.body as ErasureResult).toEqual({
        deleted: { messages: 0, conversations: 0, visitors: 0, webhook_deliveries: 0 },
      });
      const after = await ledger();
      expect(after).toHaveLength(before.length + 1);
      expect(after[0]).toMatchObject({
        kind: 'erase',
        subjectKind: 'email',
        counts: { messages: 0, conversations: 0, visitors: 0, webhook_deliveries: 0 },
      });
    });

    it('is one transaction: a failure on the last table leaves every row, and no record of success', async () => {
      const subject = await visitorWith(site, `Atomic ${marker()}`, { reply: 'Hello' });
      const record = await visitorRecord(site, subject.session.visitorId);
      const messages = await messageIdsOf(subject.conversationIds);
      const requests = await count(`SELECT count(*)::int AS count FROM privacy_requests`);
      const events = await count(`SELECT count(*)::int AS count FROM audit_events`);
      // Fault injection in the database itself: deleting this visitor row fails, after the
      // erasure has already deleted the messages and conversations (registry order).
      await sql(`CREATE FUNCTION test_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
      await sql(`CREATE TRIGGER test_refuse_delete BEFORE DELETE ON visitors FOR EACH ROW
        WHEN (OLD.id = '${record ?? randomUUID()}') EXECUTE FUNCTION test_refuse_delete()`);
      try {
        const response = await eraseBy({ visitorId: subject.session.visitorId });
        expect(response.status).toBe(500);
      } finally {
        await sql(`DROP TRIGGER test_refuse_delete ON visitors`);
        await sql(`DROP FUNCTION test_refuse_delete`);
      }
      expect(await visitorRecord(site, subject.session.visitorId)).toBe(record);
      expect(await messageIdsOf(subject.conversationIds)).toEqual(messages);
      expect(await count(`SELECT count(*)::int AS count FROM privacy_requests`)).toBe(requests);
      expect(await count(`SELECT count(*)::int AS count FROM audit_events`)).toBe(events);
    });

    it('messages sent while the erasure runs either fail cleanly or are erased with it', async () => {
      const subject = await visitorWith(site, `Racing ${marker()}`);
      const record = await visitorRecord(site, subject.session.visitorId);
      // The app already listens (for sockets), so these requests overlap for real.
      const pending = Array.from({ length: 6 }, (_, index) =>
        t.http
          .post('/api/v1/widget/messages')
          .set(subject.session.headers)
          .send({ id: randomUUID(), body: `race ${index}` })
          .then((response) => response),
      );
      const erasure = await eraseBy({ visitorId: subject.session.visitorId });
      const sends = await Promise.all(pending);
      expect(erasure.status).toBe(200);
      for (const send of sends) expect([201, 404]).toContain(send.status);
      // Nothing of the erased visitor record survives; messages stored after the erasure belong to
      // a new visitor record (the browser simply came back).
      expect(await findUuidAnywhere(db, record ?? randomUUID())).toEqual({});
      const survivors = await sql<{ visitor: string }[]>(
        `SELECT c.visitor_id AS visitor FROM messages m JOIN conversations c ON c.id = m.conversation_id
          WHERE m.id = ANY($1)`,
        [sends.filter((send) => send.status === 201).map((send) => (send.body as { id: string }).id)],
      );
      for (const survivor of survivors) expect(survivor.visitor).not.toBe(record);
      const orphans = await count(
        `SELECT count(*)::int AS count FROM conversations c WHERE NOT EXISTS (SELECT 1 FROM visitors v WHERE v.id = c.visitor_id)`,
      );
      expect(orphans).toBe(0);
    });
    it('a message whose conversation is being opened while the erasure commits fails cleanly', async () => {
      // Deterministic interleaving: the visitor's next request pauses inside its INSERT of a new
      // conversation (after the visitor row was read) while the erasure runs and commits. On the
      // embedded database (one connection) the two simply run one after the other.
      const subject = await visitorWith(site, `Paused ${marker()}`);
      const record = await visitorRecord(site, subject.session.visitorId);
      await closeConversation(site, subject.session.conversation.id);
      await sql(`CREATE FUNCTION test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(1.5); RETURN NEW; END $$`);
      await sql(`CREATE TRIGGER test_pause BEFORE INSERT ON conversations FOR EACH ROW
        WHEN (NEW.site_id = '${site.id}') EXECUTE FUNCTION test_pause()`);
      let send: Response;
      let erasure: Response;
      try {
        const sending = t.http
          .post('/api/v1/widget/messages')
          .set(subject.session.headers)
          .send({ id: randomUUID(), body: 'sent during the erasure' })
          .then((response) => response);
        await new Promise((resolve) => setTimeout(resolve, 500));
        erasure = await eraseBy({ visitorId: subject.session.visitorId });
        send = await sending;
      } finally {
        await sql(`DROP TRIGGER test_pause ON conversations`);
        await sql(`DROP FUNCTION test_pause`);
      }
      expect(erasure.status).toBe(200);
      // Stored (and then erased, or kept under a fresh visitor record), or refused with a 4xx: never a 500.
      expect(send.status).toBeLessThan(500);
      expect(await findUuidAnywhere(db, record ?? randomUUID())).toEqual({});
    });
  });

  describe('live clients', () => {
    it("tells the visitor's widget to start fresh and closes it, and drops the conversation from inboxes", async () => {
      const subject = await visitorWith(site, `Socket ${marker()}`);
      const bystander = await visitorWith(site, `Bystander ${marker()}`);
      const widget = await visitorSocket(site, subject.session.visitorId);
      const otherWidget = await visitorSocket(site, bystander.session.visitorId);
      const inbox = await consoleSocket(member, site.id);

      await eraseBy({ visitorId: subject.session.visitorId }).expect(200);

      expect(await widget.next(ofType('visitor.erased'))).toEqual({
        type: 'visitor.erased',
        siteId: site.id,
      });
      expect((await widget.closed).code).toBe(REALTIME_CLOSE_CODES.erased);
      expect(
        await inbox.next(
          (frame) =>
            frame.type === 'conversation.deleted' && frame.conversationId === subject.session.conversation.id,
        ),
      ).toEqual({
        type: 'conversation.deleted',
        siteId: site.id,
        conversationId: subject.session.conversation.id,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(otherWidget.frames.filter((frame) => frame.type !== 'ready')).toEqual([]);
      expect(otherWidget.socket.readyState).toBe(otherWidget.socket.OPEN);
    });

    it('does the same when the visitor erases their own data from the widget', async () => {
      const subject = await visitorWith(site, `Self ${marker()}`);
      const bystander = await visitorWith(site, `Bystander ${marker()}`);
      const widget = await visitorSocket(site, subject.session.visitorId);
      const otherWidget = await visitorSocket(site, bystander.session.visitorId);
      const inbox = await consoleSocket(member, site.id);

      await t.http.delete('/api/v1/widget/privacy').set(subject.session.headers).expect(200);

      expect(await widget.next(ofType('visitor.erased'))).toEqual({
        type: 'visitor.erased',
        siteId: site.id,
      });
      expect((await widget.closed).code).toBe(REALTIME_CLOSE_CODES.erased);
      await inbox.next(
        (frame) =>
          frame.type === 'conversation.deleted' && frame.conversationId === subject.session.conversation.id,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(otherWidget.frames.filter((frame) => frame.type !== 'ready')).toEqual([]);
      expect(otherWidget.socket.readyState).toBe(otherWidget.socket.OPEN);
    });
  });

  describe('visitor self-service', () => {
    it("exports the caller's own data only", async () => {
      const word = marker();
      const me = await visitorWith(site, `Mine ${word}`, { email: `${word}@example.com` });
      const neighbour = await visitorWith(site, `Theirs ${marker()}`, { email: `${word}@example.com` });
      const response = await t.http.get('/api/v1/widget/privacy/export').set(me.session.headers).expect(200);
      const document = documentOf(response);

      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="cloop-data-[\d-]+\.json"$/,
      );
      expect(document.subject).toEqual({ kind: 'visitor', value: me.session.visitorId });
      expect((document.data['visitors'] ?? []).map((row) => row['visitor_uuid'])).toEqual([
        me.session.visitorId,
      ]);
      expect((document.data['conversations'] ?? []).map((row) => row['id'])).toEqual(me.conversationIds);
      expect((document.data['messages'] ?? []).map((row) => row['id'])).toEqual(
        await messageIdsOf(me.conversationIds),
      );
      expect(response.text).not.toContain(neighbour.session.visitorId);
      expect(response.text).not.toContain(neighbour.session.conversation.id);
      expect(response.text).not.toContain('Theirs');
    });

    it('erases only the caller; the same visitor id then starts empty', async () => {
      const me = await visitorWith(site, `Forget me ${marker()}`);
      const neighbour = await visitorWith(site, `Remember me ${marker()}`);
      const neighbourMessages = await messageIdsOf(neighbour.conversationIds);

      const response = await t.http.delete('/api/v1/widget/privacy').set(me.session.headers).expect(200);

      expect(response.body as ErasureResult).toEqual({
        deleted: { messages: 2, conversations: 1, visitors: 1, webhook_deliveries: 0 },
      });
      expect(await messageIdsOf(me.conversationIds)).toEqual([]);
      expect(await messageIdsOf(neighbour.conversationIds)).toEqual(neighbourMessages);
      const fresh = (
        await t.http
          .post('/api/v1/widget/session')
          .set(me.session.headers)
          .send({ entryUrl: `${ORIGIN}/again` })
          .expect(200)
      ).body as WidgetSessionResponse;
      expect(fresh.messages).toEqual([]);
      expect(fresh.conversation).toMatchObject({ lastSeq: 0, email: null });
      expect(fresh.conversation.id).not.toBe(me.session.conversation.id);
      const [latest] = await ledger();
      expect(latest).toMatchObject({ kind: 'erase', actor: { kind: 'visitor', userId: null } });
    });

    it.each([
      ['no visitor id', { 'X-Cloop-Visitor': undefined }, 400, 'VISITOR_ID_INVALID'],
      ['a visitor id that is not a uuid', { 'X-Cloop-Visitor': 'abc' }, 400, 'VISITOR_ID_INVALID'],
      ['no site key', { 'X-Cloop-Site-Key': undefined }, 401, 'SITE_KEY_INVALID'],
      ['an unknown site key', { 'X-Cloop-Site-Key': `pk_${'a'.repeat(24)}` }, 401, 'SITE_KEY_INVALID'],
      ['an origin the site does not allow', { Origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED'],
    ] as const)('refuses %s (%s %s) and records nothing', async (_, change, status, code) => {
      const me = await visitorWith(site, `Guarded ${marker()}`);
      const headers: Record<string, string> = {
        ...visitorHeaders(site, { visitorId: me.session.visitorId }),
      };
      for (const [name, value] of Object.entries(change)) {
        if (value === undefined) delete headers[name];
        else headers[name] = value;
      }
      const requests = await count(`SELECT count(*)::int AS count FROM privacy_requests`);
      expectCode(await t.http.get('/api/v1/widget/privacy/export').set(headers), status, code);
      expectCode(await t.http.delete('/api/v1/widget/privacy').set(headers), status, code);
      expect(await count(`SELECT count(*)::int AS count FROM privacy_requests`)).toBe(requests);
      expect(await messageIdsOf(me.conversationIds)).toHaveLength(2);
    });
  });

  describe('request ledger', () => {
    let shop: Site;
    beforeAll(async () => {
      shop = await createSite(t.http, owner, { name: 'Ledger shop', allowedOrigins: [ORIGIN] });
    });

    it('records every request with due date, completion, actor, counts and a hash that names nobody', async () => {
      const word = marker();
      const email = `${word}@example.com`;
      const subject = await visitorWith(shop, `Ledger ${word}`, { email });
      const other = await visitorWith(shop, `Other ${marker()}`);
      const visitorId = subject.session.visitorId;

      documentOf(await exportBy({ email }, shop.id));
      documentOf(await exportBy({ email: email.toUpperCase() }, shop.id));
      documentOf(await exportBy({ visitorId }, shop.id, owner));
      documentOf(await t.http.get('/api/v1/widget/privacy/export').set(subject.session.headers));
      documentOf(await exportBy({ visitorId: other.session.visitorId }, shop.id));
      await t.http.delete('/api/v1/widget/privacy').set(subject.session.headers).expect(200);
      await eraseBy({ visitorId }, shop.id).expect(200);

      const items = await ledger(shop.id);
      expect(items.map((item) => [item.kind, item.subjectKind, item.actor])).toEqual([
        ['erase', 'visitor', { kind: 'user', userId: admin.userId }],
        ['erase', 'visitor', { kind: 'visitor', userId: null }],
        ['export', 'visitor', { kind: 'user', userId: admin.userId }],
        ['export', 'visitor', { kind: 'visitor', userId: null }],
        ['export', 'visitor', { kind: 'user', userId: owner.userId }],
        ['export', 'email', { kind: 'user', userId: admin.userId }],
        ['export', 'email', { kind: 'user', userId: admin.userId }],
      ]);
      const [erasedAgain, erased, otherExport, ownExport, byId, byEmail2, byEmail1] = items as [
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
        PrivacyRequest,
      ];
      const full = { visitors: 1, conversations: 1, messages: 2 };
      expect(byEmail1.counts).toEqual(full);
      expect(byEmail2.counts).toEqual(full);
      expect(byId.counts).toEqual(full);
      expect(ownExport.counts).toEqual(full);
      expect(otherExport.counts).toEqual(full);
      // An erasure also counts the queued webhook deliveries it dropped (none here).
      expect(erased.counts).toEqual({ ...full, webhook_deliveries: 0 });
      expect(erasedAgain.counts).toEqual({
        visitors: 0,
        conversations: 0,
        messages: 0,
        webhook_deliveries: 0,
      });

      for (const item of items) {
        expect(item.siteId).toBe(shop.id);
        expect(item.dueAt).toBe(oneMonthAfter(item.receivedAt));
        expect(item.completedAt).not.toBeNull();
        expect(Date.parse(item.completedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(item.receivedAt));
        expect(Math.abs(Date.parse(item.receivedAt) - Date.now())).toBeLessThan(60_000);
        expect(item.subjectHash).toMatch(/^[0-9a-f]{64}$/);
        for (const secret of [email, word, visitorId, visitorId.replace(/-/g, '')]) {
          for (let start = 0; start + 8 <= secret.length; start++)
            expect(item.subjectHash).not.toContain(secret.slice(start, start + 8));
        }
      }
      // The same subject, the same hash (team or visitor, any spelling); another subject, another.
      expect(byEmail2.subjectHash).toBe(byEmail1.subjectHash);
      expect(
        new Set([byId.subjectHash, ownExport.subjectHash, erased.subjectHash, erasedAgain.subjectHash]).size,
      ).toBe(1);
      expect(byId.subjectHash).not.toBe(byEmail1.subjectHash);
      expect(otherExport.subjectHash).not.toBe(byId.subjectHash);

      const listed = await t.http
        .get(`${base(shop.id)}/requests`)
        .set(admin.auth)
        .expect(200);
      const page = listed.text;
      for (const secret of [email, word, visitorId])
        expect(page.toLowerCase()).not.toContain(secret.toLowerCase());
      // The ledger and an erasure's answer are what the OpenAPI document says they are.
      const { components } = (await t.http.get('/api/openapi.json').expect(200)).body as OpenApiDocument;
      expect(
        schemaErrors(listed.body, { $ref: '#/components/schemas/PrivacyRequestPageDto' }, components.schemas),
      ).toEqual([]);
      const erasure = await eraseBy({ visitorId: randomUUID() }, shop.id).expect(200);
      expect(
        schemaErrors(erasure.body, { $ref: '#/components/schemas/ErasureResultDto' }, components.schemas),
      ).toEqual([]);
      // Nor anywhere else: the ledger's own columns hold no subject.
      expect(await findTextAnywhere(db, word)).toEqual({});
    });

    it('pages newest first with a cursor', async () => {
      const all = await ledger(shop.id);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: '1', ...(cursor ? { cursor } : {}) });
        const response = await t.http
          .get(`${base(shop.id)}/requests?${query.toString()}`)
          .set(admin.auth)
          .expect(200);
        const page = response.body as Page<PrivacyRequest>;
        expect(page.items).toHaveLength(1);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        if (seen.length < all.length) expect(cursor).toEqual(expect.any(String));
      } while (cursor);
      expect(seen).toEqual(all.map((item) => item.id));
      const received = all.map((item) => item.receivedAt);
      expect([...received].sort().reverse()).toEqual(received);
    });

    it("is the site's admins' only: a member gets 403, another organization 404", async () => {
      expectCode(await t.http.get(`${base(shop.id)}/requests`).set(member.auth), 403, 'FORBIDDEN');
      expectCode(await t.http.get(`${base(shop.id)}/requests`).set(otherOwner.auth), 404, 'SITE_NOT_FOUND');
      expectCode(await exportBy({ visitorId: randomUUID() }, shop.id, member), 403, 'FORBIDDEN');
      expectCode(await eraseBy({ visitorId: randomUUID() }, shop.id, otherOwner), 404, 'SITE_NOT_FOUND');
    });
  });

  describe('deleting a site', () => {
    it('removes everything that belonged to it, leaves other sites alone, and is audited', async () => {
      const doomed = await createSite(t.http, owner, { name: 'Doomed shop', allowedOrigins: [ORIGIN] });
      const word = marker();
      const visitor = await visitorWith(doomed, `Doomed ${word}`, {
        email: `${word}@example.com`,
        reply: 'Bye',
      });
      await visitorWith(doomed, `Doomed too ${word}`);
      documentOf(await exportBy({ visitorId: visitor.session.visitorId }, doomed.id));
      const survivor = await visitorWith(sisterSite, `Survivor ${marker()}`);
      const survivorMessages = await messageIdsOf(survivor.conversationIds);
      const sisterCounts = async () =>
        sql<{ visitors: number; conversations: number; messages: number }[]>(
          `SELECT (SELECT count(*)::int FROM visitors WHERE site_id = $1) AS visitors,
                  (SELECT count(*)::int FROM conversations WHERE site_id = $1) AS conversations,
                  (SELECT count(*)::int FROM messages WHERE site_id = $1) AS messages`,
          [sisterSite.id],
        );
      const before = await sisterCounts();
      expect(Object.keys(await findUuidAnywhere(db, doomed.id)).sort()).toEqual(
        [
          'conversations.site_id',
          'messages.site_id',
          'privacy_requests.site_id',
          'sites.id',
          'visitors.site_id',
        ].sort(),
      );

      await t.http.delete(`/api/v1/sites/${doomed.id}`).set(admin.auth).expect(204);

      expect(await findUuidAnywhere(db, doomed.id)).toEqual({});
      expect(await findTextAnywhere(db, word)).toEqual({});
      expect(await messageIdsOf(visitor.conversationIds)).toEqual([]);
      expect(await sisterCounts()).toEqual(before);
      expect(await messageIdsOf(survivor.conversationIds)).toEqual(survivorMessages);
      const events = (
        await t.http
          .get(`/api/v1/organizations/${owner.organizationId}/audit-events?limit=5`)
          .set(owner.auth)
          .expect(200)
      ).body as Page<AuditEvent>;
      expect(events.items[0]).toMatchObject({
        action: 'site.deleted',
        actor: { kind: 'user', userId: admin.userId },
        target: { type: 'site', id: doomed.id },
      });
      await t.http.get(`/api/v1/sites/${doomed.id}`).set(owner.auth).expect(404);
    });
  });

  it('sends nothing from the erased visitor to later sessions', async () => {
    // The erased visitor's old headers open a brand-new visitor with no history.
    const me = await visitorWith(site, `Before ${marker()}`);
    await eraseBy({ visitorId: me.session.visitorId }).expect(200);
    const message = await sendVisitorMessage(t.http, me.session.headers, 'After');
    expect(message.seq).toBe(1);
  });
});
