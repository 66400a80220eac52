import { randomUUID } from 'node:crypto';

import type {
  AuditEvent,
  ErrorResponse,
  Page,
  PrivacyExport,
  PrivacyRequest,
  SiteExportLine,
  Site,
} from '@cloop/contracts';
import type { Response, Test } from 'supertest';
import { DataSource } from 'typeorm';

import { addMember, createSite, type SignedUpUser, signUp } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

type Row = Record<string, unknown>;
type RowLine = Extract<SiteExportLine, { type: 'row' }>;

/** The response body as text, whatever its content type (supertest parses only JSON and text/*). */
const asText = (request: Test): Test =>
  request.buffer(true).parse((response, callback) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => callback(null, text));
  });

const linesOf = (response: Response): SiteExportLine[] =>
  (response.body as string)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SiteExportLine);

const rowsOf = (lines: SiteExportLine[]): RowLine[] =>
  lines.filter((line): line is RowLine => line.type === 'row');

/** A row line as a comparable key: table and id (ids are unique per table). */
const keyOf = (line: RowLine) => `${line.table}:${String(line.data['id'])}`;

describe('privacy: the site-wide export and exports and erasures at scale', () => {
  let t: TestApp;
  let db: DataSource;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let otherOwner: SignedUpUser;
  let site: Site;
  let otherSite: Site;

  const sql = <T>(query: string, params: unknown[] = []) => db.query<T>(query, params);
  const count = async (query: string, params: unknown[] = []) =>
    (await sql<{ count: number }[]>(query, params))[0]?.count ?? -1;
  const siteExport = (query: Record<string, string> = {}, user: SignedUpUser = admin, on: Site = site) =>
    asText(
      t.http
        .get(
          `${route('/api/v1/sites/{siteId}/privacy/export', { siteId: on.id })}?${new URLSearchParams(query).toString()}`,
        )
        .set(user.auth),
    );
  const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
    const body =
      typeof response.body === 'string' ? (JSON.parse(response.body) as ErrorResponse) : response.body;
    expect({ status: response.status, code: (body as ErrorResponse).code }).toEqual({ status, code });
  };

  /**
   * A visitor of `on` with `sizes.length` conversations of `sizes[i]` messages, written straight
   * into the database (`longBodies`: each message about 4 KB of hex); returns the visitor UUID.
   */
  const seedVisitor = async (
    on: Site,
    sizes: number[],
    email: string | null = null,
    longBodies = false,
  ): Promise<string> => {
    const visitorUuid = randomUUID();
    await sql(
      `WITH v AS (INSERT INTO visitors (site_id, visitor_uuid) VALUES ($1, $2) RETURNING id),
            c AS (INSERT INTO conversations (site_id, visitor_id, status, email, message_count, last_seq)
                  SELECT $1, v.id, 'closed', $4, size, size FROM v, unnest($3::int[]) AS size RETURNING id, last_seq)
       INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
       SELECT c.id, $1, s, gen_random_uuid(), CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'assistant' END,
              CASE WHEN $5 THEN (SELECT string_agg(md5(c.id::text || s || i), '') FROM generate_series(1, 128) i)
                   ELSE 'Message ' || s || ' of a long history' END
         FROM c, generate_series(1, c.last_seq) AS s`,
      [on.id, visitorUuid, sizes, email, longBodies],
    );
    return visitorUuid;
  };

  /** What the site export must hold: every row of the three tables of the site, by key. */
  const expectedKeys = async (on: Site) => {
    const rows = await sql<{ key: string }[]>(
      `SELECT 'visitors:' || id AS key FROM visitors WHERE site_id = $1
       UNION ALL SELECT 'conversations:' || id FROM conversations WHERE site_id = $1
       UNION ALL SELECT 'messages:' || id FROM messages WHERE site_id = $1`,
      [on.id],
    );
    return rows.map((row) => row.key).sort();
  };

  beforeAll(async () => {
    // Batches of at most 200 rows or 64 KiB of row data: short messages fill a batch by rows, the
    // long ones by bytes, so both ends of a batch are crossed with a few thousand rows.
    t = await startTestApp({ siteExportBatch: { rows: 200, bytes: 64 * 1024 } });
    db = t.app.get(DataSource);
    owner = await signUp(t.http, { name: 'Olivia Owner' });
    admin = await signUp(t.http, { name: 'Aino Admin' });
    member = await signUp(t.http, { name: 'Maija Member' });
    otherOwner = await signUp(t.http, { name: 'Otto Other' });
    await addMember(t.http, owner, admin, 'admin');
    await addMember(t.http, owner, member, 'member');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    otherSite = await createSite(t.http, otherOwner, { allowedOrigins: [ORIGIN] });
    // Many batches of messages, and more conversations than one walk slice (50), some of them empty.
    await seedVisitor(site, [700, 650, 3, 0, 1]);
    await seedVisitor(site, [60], null, true);
    await seedVisitor(
      site,
      Array.from({ length: 70 }, (_, index) => index % 4),
    );
    await seedVisitor(site, [2], 'lead@example.com');
    await seedVisitor(otherSite, [5, 5]);
  });
  afterAll(() => t.close());

  describe('site-wide export', () => {
    let full: SiteExportLine[];

    beforeAll(async () => {
      const response = await siteExport().expect(200);
      expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="cloop-site-export-.+\.ndjson"$/,
      );
      full = linesOf(response);
    });

    it("holds every visitor's rows of the site once, table by table, and nothing of other sites", async () => {
      const rows = rowsOf(full);
      expect(rows.map(keyOf).sort()).toEqual(await expectedKeys(site));
      const tables = rows.map((line) => line.table);
      expect([...new Set(tables)]).toEqual(['visitors', 'conversations', 'messages']);
      // Each table in one run: no table comes back after another started.
      expect(tables).toEqual(
        [...tables].sort(
          (a, b) =>
            ['visitors', 'conversations', 'messages'].indexOf(a) -
            ['visitors', 'conversations', 'messages'].indexOf(b),
        ),
      );
      expect(new Set(rows.map(keyOf)).size).toBe(rows.length);
    });

    it('ends a batch at its row limit, or sooner at its byte limit', () => {
      const batches: { rows: number; bodyBytes: number; longest: number }[] = [];
      let current = { rows: 0, bodyBytes: 0, longest: 0 };
      for (const line of full) {
        if (line.type === 'row' && line.table === 'messages') {
          const body = String(line.data['body']);
          current.rows += 1;
          current.bodyBytes += Buffer.byteLength(body);
          current.longest = Math.max(current.longest, body.length);
        } else if (line.type === 'cursor' && current.rows > 0) {
          batches.push(current);
          current = { rows: 0, bodyBytes: 0, longest: 0 };
        }
      }
      // Short messages fill batches of 200 rows; 4 KB messages reach 64 KiB long before that (the
      // 60 long ones of one conversation come one after another: at least two batches of them
      // alone). No batch goes past 64 KiB by more than the row that crossed it.
      expect(batches.filter((batch) => batch.rows === 200 && batch.longest < 100).length).toBeGreaterThan(3);
      const long = batches.filter((batch) => batch.longest > 4000);
      expect(long.filter((batch) => batch.rows < 200).length).toBeGreaterThanOrEqual(2);
      for (const batch of batches) expect(batch.bodyBytes).toBeLessThan(64 * 1024 + 4096);
    });

    it('starts with the export line, ends with the counts, and puts a cursor after each batch', () => {
      expect(full[0]).toEqual({
        type: 'export',
        format: 'cloop.site-export.v1',
        siteId: site.id,
        generatedAt: expect.any(String) as string,
        resumedFrom: null,
      });
      const rows = rowsOf(full);
      const counted = (table: string) => rows.filter((line) => line.table === table).length;
      expect(full.at(-1)).toEqual({
        type: 'end',
        counts: {
          visitors: counted('visitors'),
          conversations: counted('conversations'),
          messages: counted('messages'),
        },
      });
      expect(full.at(-2)?.type).toBe('cursor');
      expect(full.filter((line) => line.type === 'cursor').length).toBeGreaterThanOrEqual(4);
      expect(full.filter((line) => line.type === 'export' || line.type === 'end')).toHaveLength(2);
    });

    it("shows rows as the registry says: visitors without the browser's UUID, conversations linked to them", async () => {
      const rows = rowsOf(full);
      const visitor = rows.find((line) => line.table === 'visitors');
      expect(Object.keys(visitor?.data ?? {}).sort()).toEqual(['created_at', 'id', 'last_seen_at']);
      const uuids = await sql<{ visitor_uuid: string }[]>(
        `SELECT visitor_uuid FROM visitors WHERE site_id = $1`,
        [site.id],
      );
      const text = JSON.stringify(full);
      for (const { visitor_uuid } of uuids) expect(text).not.toContain(visitor_uuid);

      const lead = rows.find(
        (line) => line.table === 'conversations' && line.data['email'] === 'lead@example.com',
      );
      const [stored] = await sql<Row[]>(
        `SELECT id, visitor_id, phase, status, email, lead_status, message_count, visitor_seen_seq
           FROM conversations WHERE id = $1`,
        [lead?.data['id']],
      );
      expect(lead?.data).toMatchObject(stored ?? {});
      expect(lead?.data['created_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      const message = rows.find((line) => line.table === 'messages' && line.data['seq'] === 700);
      expect(message?.data).toMatchObject({
        seq: 700,
        author: 'assistant',
        body: 'Message 700 of a long history',
        citations: [],
        confidence: null,
      });
      expect(Object.keys(message?.data ?? {}).sort()).toEqual([
        'author',
        'body',
        'citations',
        'confidence',
        'conversation_id',
        'created_at',
        'id',
        'seq',
      ]);
    });

    it('resumed after any cursor, gives exactly the rest: no duplicate, no gap', async () => {
      const rowsAfter = (index: number) => rowsOf(full.slice(index + 1)).map(keyOf);
      const cursors = full.flatMap((line, index) =>
        line.type === 'cursor' ? [{ cursor: line.cursor, index }] : [],
      );
      for (const { cursor, index } of cursors) {
        const resumed = linesOf(await siteExport({ cursor }).expect(200));
        expect(resumed[0]).toMatchObject({ type: 'export', resumedFrom: cursor });
        expect(resumed.at(-1)?.type).toBe('end');
        expect(rowsOf(resumed).map(keyOf)).toEqual(rowsAfter(index));
      }
    });

    it('resumes correctly when rows were added and deleted since the cursor was given', async () => {
      const messageCursors = full.flatMap((line, index) => {
        const previous = full[index - 1];
        return line.type === 'cursor' && previous?.type === 'row' && previous.table === 'messages'
          ? [{ cursor: line.cursor, last: previous.data }]
          : [];
      });
      const { cursor, last } = messageCursors[0] ?? { cursor: '', last: {} };
      // The row the cursor names is gone, and a later one arrived in the same conversation.
      await sql(`DELETE FROM messages WHERE id = $1`, [last['id']]);
      await sql(
        `INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
         VALUES ($1, $2, 10000, gen_random_uuid(), 'agent', 'A late reply')`,
        [last['conversation_id'], site.id],
      );
      const resumed = rowsOf(linesOf(await siteExport({ cursor }).expect(200)));
      const expected = await sql<{ key: string }[]>(
        `SELECT 'messages:' || id AS key FROM messages
          WHERE site_id = $1 AND (conversation_id, seq) > ($2, $3) ORDER BY conversation_id, seq`,
        [site.id, last['conversation_id'], last['seq']],
      );
      expect(resumed.map(keyOf)).toEqual(expected.map((row) => row.key));
      expect(resumed.map(keyOf)).toContain(
        `messages:${(await sql<{ id: string }[]>(`SELECT id FROM messages WHERE seq = 10000 AND site_id = $1`, [site.id]))[0]?.id}`,
      );
    });

    it('is recorded in the ledger (completed, with counts) and the audit trail, resumed or not', async () => {
      const response = await siteExport().expect(200);
      const end = linesOf(response).at(-1) as Extract<SiteExportLine, { type: 'end' }>;
      const ledger = (
        await t.http
          .get(`${route('/api/v1/sites/{siteId}/privacy/requests', { siteId: site.id })}?limit=1`)
          .set(admin.auth)
          .expect(200)
      ).body as Page<PrivacyRequest>;
      expect(ledger.items[0]).toMatchObject({
        kind: 'export',
        subjectKind: 'site',
        siteId: site.id,
        actor: { kind: 'user', userId: admin.userId },
        counts: end.counts,
      });
      expect(ledger.items[0]?.completedAt).not.toBeNull();
      const requestId = ledger.items[0]?.id;
      const events = (
        await t.http
          .get(
            `${route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId })}?limit=5`,
          )
          .set(owner.auth)
          .expect(200)
      ).body as Page<AuditEvent>;
      expect(events.items.find((event) => event.target?.id === requestId)).toMatchObject({
        action: 'privacy.exported',
        actor: { kind: 'user', userId: admin.userId },
        target: { type: 'privacy_request', id: requestId },
        details: { siteId: site.id, subjectKind: 'site', resumed: false },
      });
    });

    it("is the site's admins' and owners' only: a member gets 403, another organization 404", async () => {
      expect((await siteExport({}, owner).expect(200)).status).toBe(200);
      expectCode(await siteExport({}, member), 403, 'FORBIDDEN');
      expectCode(await siteExport({}, otherOwner), 404, 'SITE_NOT_FOUND');
      expectCode(await siteExport({}, admin, otherSite), 404, 'SITE_NOT_FOUND');
    });

    it.each<[string, (cursors: { site: string; other: string }) => string]>([
      ['garbage', () => 'not a cursor'],
      ['valid base64 of something else', () => Buffer.from('{"a":1}').toString('base64url')],
      ['another site’s cursor', ({ other }) => other],
      ['a table the export does not show', () => encode([site.id, 'webhook_deliveries', [randomUUID()]])],
      ['a keyset of the wrong length', () => encode([site.id, 'messages', [randomUUID()]])],
      ['an id that is not a UUID', () => encode([site.id, 'visitors', ["' OR 1=1 --"]])],
      ['a position that is not a positive integer', () => encode([site.id, 'messages', [randomUUID(), -1]])],
      ['an over-long cursor', () => 'x'.repeat(400)],
    ])('refuses %s with 400 VALIDATION_FAILED and records nothing', async (_, cursorOf) => {
      const otherLines = linesOf(await siteExport({}, otherOwner, otherSite).expect(200));
      const other = otherLines.find((line) => line.type === 'cursor');
      const cursor = cursorOf({ site: site.id, other: other?.type === 'cursor' ? other.cursor : '' });
      const requests = await count(`SELECT count(*)::int AS count FROM privacy_requests`);
      const events = await count(`SELECT count(*)::int AS count FROM audit_events`);
      expectCode(await siteExport({ cursor }), 400, 'VALIDATION_FAILED');
      expect(await count(`SELECT count(*)::int AS count FROM privacy_requests`)).toBe(requests);
      expect(await count(`SELECT count(*)::int AS count FROM audit_events`)).toBe(events);
    });

    it('refuses an unknown query parameter with 400', async () => {
      expectCode(await siteExport({ limit: '10' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe("one visitor's export, many conversations", () => {
    const exportOf = async (body: object): Promise<PrivacyExport> => {
      const response = await t.http
        .post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId: site.id }))
        .set(admin.auth)
        .send(body)
        .expect(200);
      return JSON.parse(response.text) as PrivacyExport;
    };

    it('walks every conversation in order, across slices and batches, each message once', async () => {
      // 130 conversations: three walk slices; long ones cross batches (500), empty ones are skipped.
      const sizes = Array.from({ length: 130 }, (_, index) => [0, 1, 7, 520, 2][index % 5] ?? 0);
      const visitorId = await seedVisitor(site, sizes);
      const document = await exportOf({ visitorId });
      const stored = await sql<Row[]>(
        `SELECT m.id, m.seq FROM messages m JOIN conversations c ON c.id = m.conversation_id
           JOIN visitors v ON v.id = c.visitor_id
          WHERE v.visitor_uuid = $1 ORDER BY m.conversation_id, m.seq`,
        [visitorId],
      );
      const messages = document.data['messages'] ?? [];
      expect(messages.map((row) => [row['id'], row['seq']])).toEqual(
        stored.map((row) => [row['id'], row['seq']]),
      );
      expect(messages).toHaveLength(sizes.reduce((sum, size) => sum + size, 0));
      expect(document.data['conversations']).toHaveLength(130);
    });

    it('by email, walks only the conversations the email was left in', async () => {
      const email = `walker-${randomUUID().slice(0, 8)}@example.com`;
      const visitorId = await seedVisitor(site, [3, 4], email);
      await sql(
        `INSERT INTO conversations (site_id, visitor_id, status, message_count, last_seq)
         SELECT site_id, id, 'open', 0, 0 FROM visitors WHERE visitor_uuid = $1`,
        [visitorId],
      );
      const document = await exportOf({ email });
      expect(document.data['conversations']).toHaveLength(2);
      expect(document.data['messages']).toHaveLength(7);
    });
  });

  describe('erasure and the reviews of questions', () => {
    it("takes the reviews of the visitor's questions with the messages, and only those", async () => {
      const erased = await seedVisitor(site, [4]);
      const kept = await seedVisitor(site, [4]);
      const questionOf = async (visitorUuid: string) =>
        (
          await sql<{ id: string }[]>(
            `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
               JOIN visitors v ON v.id = c.visitor_id WHERE v.visitor_uuid = $1 AND m.seq = 1`,
            [visitorUuid],
          )
        )[0]?.id;
      const questions = [await questionOf(erased), await questionOf(kept)];
      for (const question of questions) {
        await t.http
          .delete(
            route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', {
              siteId: site.id,
              questionId: question,
            }),
          )
          .set(admin.auth)
          .expect(204);
      }
      const reviews = () =>
        sql<{ message_id: string }[]>(
          `SELECT message_id FROM knowledge_question_reviews WHERE message_id = ANY($1) ORDER BY message_id`,
          [questions],
        );
      expect(await reviews()).toHaveLength(2);
      await t.http
        .post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId: site.id }))
        .set(admin.auth)
        .send({ visitorId: erased })
        .expect(200);
      expect((await reviews()).map((row) => row.message_id)).toEqual([questions[1]]);
    });

    it('goes with a message deleted through its conversation too (retention, the team deleting it)', async () => {
      const visitorId = await seedVisitor(site, [2]);
      const [question] = await sql<{ id: string; conversation_id: string }[]>(
        `SELECT m.id, m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
           JOIN visitors v ON v.id = c.visitor_id WHERE v.visitor_uuid = $1 AND m.seq = 1`,
        [visitorId],
      );
      await sql(
        `INSERT INTO knowledge_question_reviews (site_id, message_id, state, confidence, content_version)
         VALUES ($1, $2, 'dismissed', 0, 0)`,
        [site.id, question?.id],
      );
      await sql(`DELETE FROM conversations WHERE id = $1`, [question?.conversation_id]);
      expect(
        await count(`SELECT count(*)::int AS count FROM knowledge_question_reviews WHERE message_id = $1`, [
          question?.id,
        ]),
      ).toBe(0);
    });

    it('refuses a review of a message that does not exist, as the foreign key did', async () => {
      await expect(
        sql(
          `INSERT INTO knowledge_question_reviews (site_id, message_id, state, confidence, content_version)
           VALUES ($1, $2, 'dismissed', 0, 0)`,
          [site.id, randomUUID()],
        ),
      ).rejects.toThrow(/does not exist/);
    });
  });
});

function encode(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}
