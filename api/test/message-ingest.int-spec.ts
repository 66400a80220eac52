import { randomUUID } from 'node:crypto';

import type { Message, Site } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import {
  createSite,
  createVisitorSession,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
  waitForVisitorMessage,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

describe('widget message ingest', () => {
  let t: TestApp;
  let db: DataSource;
  let owner: SignedUpUser;
  let site: Site;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
  });
  afterAll(() => t.close());

  const visitorRow = async (conversationId: string) => {
    const [row] = await db.query<{ xmin: string; last_seen_at: Date }[]>(
      `SELECT v.xmin::text AS xmin, v.last_seen_at FROM visitors v
         JOIN conversations c ON c.visitor_id = v.id WHERE c.id = $1`,
      [conversationId],
    );
    if (!row) throw new Error('no visitor');
    return row;
  };

  it("writes a visitor's last_seen_at at most once a minute, not on every message", async () => {
    const session = await createVisitorSession(t.http, site);
    const first = await sendVisitorMessage(t.http, session.headers, 'Hello');
    const before = await visitorRow(first.conversationId);
    await sendVisitorMessage(t.http, session.headers, 'Anyone there?');
    await t.http
      .post(route('/api/v1/widget/session'))
      .set(session.headers)
      .send({ entryUrl: `${ORIGIN}/` })
      .expect(200);
    // Not even rewritten with the same value: the row version (xmin) is the one from before.
    expect(await visitorRow(first.conversationId)).toEqual(before);

    await db.query(
      `UPDATE visitors SET last_seen_at = now() - interval '61 seconds'
        WHERE id = (SELECT visitor_id FROM conversations WHERE id = $1)`,
      [first.conversationId],
    );
    const stale = await visitorRow(first.conversationId);
    await sendVisitorMessage(t.http, session.headers, 'Still here');
    const seen = await visitorRow(first.conversationId);
    expect(seen.last_seen_at.getTime()).toBeGreaterThan(stale.last_seen_at.getTime() + 60_000);
  });

  it("keeps the conversation's last-message preview and author with every message", async () => {
    const preview = async (conversationId: string) =>
      (
        await db.query<{ last_message_preview: string; last_message_author: string }[]>(
          `SELECT last_message_preview, last_message_author FROM conversations WHERE id = $1`,
          [conversationId],
        )
      )[0];
    const answered = await createVisitorSession(t.http, site);
    const question = await sendVisitorMessage(t.http, answered.headers, 'Do you ship to Finland?');
    const answer = await waitForVisitorMessage(
      t.http,
      answered.headers,
      question.seq,
      (m) => m.author === 'assistant',
    );
    expect(await preview(question.conversationId)).toEqual({
      last_message_preview: answer.body.slice(0, 200),
      last_message_author: 'assistant',
    });

    // With a person in the conversation the assistant stays out: the visitor's message stays last.
    const session = await createVisitorSession(t.http, site);
    await t.http
      .post(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
          siteId: site.id,
          conversationId: session.conversation.id,
        }),
      )
      .set(owner.auth)
      .send({ id: randomUUID(), body: 'A person here.' })
      .expect(201);
    expect(await preview(session.conversation.id)).toEqual({
      last_message_preview: 'A person here.',
      last_message_author: 'agent',
    });
    const long = `Do you ship to Finland? ${'x'.repeat(300)}`;
    await sendVisitorMessage(t.http, session.headers, long);
    expect(await preview(session.conversation.id)).toEqual({
      last_message_preview: long.slice(0, 200),
      last_message_author: 'visitor',
    });
  });

  it('numbers concurrent visitor and agent messages of one conversation 1..n, unique, counted once each', async () => {
    const session = await createVisitorSession(t.http, site);
    const conversationId = session.conversation.id;
    // An agent's reply first: the assistant stays out, so only these appends race.
    await t.http
      .post(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
          siteId: site.id,
          conversationId,
        }),
      )
      .set(owner.auth)
      .send({ id: randomUUID(), body: 'A person here.' })
      .expect(201);
    const retried = randomUUID();
    const responses = await t.concurrently(() =>
      Promise.all([
        ...Array.from({ length: 20 }, (_, i) =>
          t.http
            .post(route('/api/v1/widget/messages'))
            .set(session.headers)
            .send({ id: randomUUID(), body: `Q${i}` }),
        ),
        ...Array.from({ length: 10 }, (_, i) =>
          t.http
            .post(
              route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
                siteId: site.id,
                conversationId,
              }),
            )
            .set(owner.auth)
            .send({ id: randomUUID(), body: `A${i}` }),
        ),
        ...Array.from({ length: 5 }, () =>
          t.http
            .post(route('/api/v1/widget/messages'))
            .set(session.headers)
            .send({ id: retried, body: 'Once' }),
        ),
      ]),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(31);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(4);

    const rows = await db.query<{ seq: number; body: string }[]>(
      `SELECT seq, body FROM messages WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(rows.filter((row) => row.body === 'Once')).toHaveLength(1);
    const [conversation] = await db.query<
      { last_seq: number; message_count: number; last_message_preview: string }[]
    >(`SELECT last_seq, message_count, last_message_preview FROM conversations WHERE id = $1`, [
      conversationId,
    ]);
    expect(conversation).toEqual({ last_seq: 32, message_count: 32, last_message_preview: rows[31]?.body });
    // Each stored message's number is the one its response carried.
    const created = responses.filter((r) => r.status === 201).map((r) => r.body as Message);
    for (const message of created) expect(rows[message.seq - 1]?.body).toBe(message.body);
  });

  it('refuses a rotated site key at once, on the widget config and the message route alike', async () => {
    const mine = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    const session = await createVisitorSession(t.http, mine);
    await t.http.get(route('/api/v1/widget/config')).set(session.headers).expect(200);
    await t.http
      .post(route('/api/v1/sites/{siteId}/rotate-key', { siteId: mine.id }))
      .set(owner.auth)
      .expect(200);

    const config = await t.http.get(route('/api/v1/widget/config')).set(session.headers).expect(401);
    expect(config.body).toMatchObject({ code: 'SITE_KEY_INVALID' });
    await t.http
      .post(route('/api/v1/widget/messages'))
      .set(session.headers)
      .send({ id: randomUUID(), body: 'Hello?' })
      .expect(401);
  });

  it('refuses a key changed behind the cache (no announcement) on the message route, storing nothing', async () => {
    const mine = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    const session = await createVisitorSession(t.http, mine);
    await t.http.get(route('/api/v1/widget/config')).set(session.headers).expect(200);
    // As if another replica rotated it and its announcement were lost.
    await db.query(`UPDATE sites SET public_key = $2 WHERE id = $1`, [mine.id, `pk_${'b'.repeat(24)}`]);

    const refused = await t.http
      .post(route('/api/v1/widget/messages'))
      .set(session.headers)
      .send({ id: randomUUID(), body: 'Hello?' })
      .expect(401);
    expect(refused.body).toMatchObject({ code: 'SITE_KEY_INVALID' });
    const [{ count }] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM messages WHERE site_id = $1`,
      [mine.id],
    );
    expect(count).toBe(0);
    // The refusal also dropped the cached entry: the config route refuses the key now too.
    await t.http.get(route('/api/v1/widget/config')).set(session.headers).expect(401);
  });

  it('applies a change of allowed origins to the widget at once', async () => {
    const mine = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    const session = await createVisitorSession(t.http, mine);
    await t.http.get(route('/api/v1/widget/config')).set(session.headers).expect(200);
    await t.http
      .patch(route('/api/v1/sites/{siteId}', { siteId: mine.id }))
      .set(owner.auth)
      .send({ allowedOrigins: ['https://elsewhere.example'] })
      .expect(200);
    const refused = await t.http.get(route('/api/v1/widget/config')).set(session.headers).expect(403);
    expect(refused.body).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
  });
});
