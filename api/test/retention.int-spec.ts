import type { AuditEvent, Page, Site } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { RETENTION_BATCH, RetentionService } from '../src/retention/retention.service';
import {
  createSite,
  createVisitorSession,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
} from './support/factories';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

/**
 * Moves a site's whole history `days` into the past, as if nobody had written since. Callers wait
 * for the assistant's answer first: an answer landing afterwards would make the conversation recent.
 */
async function age(db: DataSource, siteId: string, days: number, conversationIds?: string[]): Promise<void> {
  const only = conversationIds ? 'AND id = ANY($3)' : '';
  const params = conversationIds ? [siteId, days, conversationIds] : [siteId, days];
  await db.query(
    `UPDATE conversations SET last_message_at = now() - make_interval(days => $2) WHERE site_id = $1 ${only}`,
    params,
  );
  await db.query(
    `UPDATE visitors SET last_seen_at = now() - make_interval(days => $2)
      WHERE site_id = $1 AND id IN (SELECT visitor_id FROM conversations WHERE site_id = $1 ${only})`,
    params,
  );
}

async function counts(db: DataSource, siteId: string): Promise<Record<string, number>> {
  const [row] = await db.query<{ visitors: number; conversations: number; messages: number }[]>(
    `SELECT (SELECT count(*)::int FROM visitors WHERE site_id = $1) AS visitors,
            (SELECT count(*)::int FROM conversations WHERE site_id = $1) AS conversations,
            (SELECT count(*)::int FROM messages WHERE site_id = $1) AS messages`,
    [siteId],
  );
  return { ...row };
}

/** `n` visitors, each with one conversation of two messages, inserted directly: fast bulk history. */
async function bulkHistory(db: DataSource, siteId: string, n: number, daysAgo: number): Promise<void> {
  await db.query(
    `WITH v AS (
       INSERT INTO visitors (site_id, visitor_uuid, last_seen_at)
       SELECT $1, gen_random_uuid(), now() - make_interval(days => $3) FROM generate_series(1, $2)
       RETURNING id),
     c AS (
       INSERT INTO conversations (site_id, visitor_id, message_count, last_seq, last_message_at)
       SELECT $1, id, 2, 2, now() - make_interval(days => $3) FROM v RETURNING id)
     INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
     SELECT c.id, $1, s, gen_random_uuid(), 'visitor', 'old question ' || s FROM c, generate_series(1, 2) s`,
    [siteId, n, daysAgo],
  );
}

async function retentionEvents(t: TestApp, owner: SignedUpUser): Promise<AuditEvent[]> {
  const response = await t.http
    .get(route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId }))
    .query({ limit: 100 })
    .set(owner.auth)
    .expect(200);
  return (response.body as Page<AuditEvent>).items.filter((event) => event.action === 'retention.deleted');
}

describe('retention', () => {
  let t: TestApp;
  let db: DataSource;
  let owner: SignedUpUser;
  let shortSite: Site;
  let longSite: Site;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    owner = await signUp(t.http);
    shortSite = await createSite(t.http, owner, { retentionDays: 30, allowedOrigins: ['https://a.example'] });
    longSite = await createSite(t.http, owner, { retentionDays: 365, allowedOrigins: ['https://b.example'] });
  });

  it("deletes only what is older than each site's own retention period, and records what it deleted", async () => {
    const stale = await createVisitorSession(t.http, shortSite);
    await sendAndAwaitAnswer(t.http, stale.headers, 'an old question');
    await age(db, shortSite.id, 31);
    const fresh = await createVisitorSession(t.http, shortSite);
    await sendAndAwaitAnswer(t.http, fresh.headers, 'a new question');
    const keptByLongerPeriod = await createVisitorSession(t.http, longSite);
    await sendAndAwaitAnswer(t.http, keptByLongerPeriod.headers, 'a question within a year');
    await age(db, longSite.id, 31);
    const before = await counts(db, shortSite.id);
    const longBefore = await counts(db, longSite.id);

    const results = await t.app.get(RetentionService).run();

    expect(results).toEqual([
      expect.objectContaining({ siteId: shortSite.id, conversations: 1, messages: 2, visitors: 1 }),
    ]);
    expect(await counts(db, shortSite.id)).toEqual({
      visitors: before['visitors'] - 1,
      conversations: before['conversations'] - 1,
      messages: before['messages'] - 2,
    });
    expect(await counts(db, longSite.id)).toEqual(longBefore);
    // The fresh visitor's conversation is intact.
    const messages = await t.http
      .get(route('/api/v1/widget/messages'))
      .query({ after: 0 })
      .set(fresh.headers)
      .expect(200);
    expect(JSON.stringify(messages.body)).toContain('a new question');
    const events = await retentionEvents(t, owner);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { kind: 'system', userId: null },
      target: { type: 'site', id: shortSite.id },
      details: { conversations: 1, messages: 2, visitors: 1 },
    });
  });

  it('is idempotent: a second run finds nothing to delete and records nothing', async () => {
    await bulkHistory(db, shortSite.id, 3, 40);
    const service = t.app.get(RetentionService);
    expect(await service.run()).toHaveLength(1);
    expect(await service.run()).toEqual([]);
    expect(await retentionEvents(t, owner)).toHaveLength(1);
    expect(await counts(db, shortSite.id)).toEqual({ visitors: 0, conversations: 0, messages: 0 });
  });

  it('resumes: a run stopped after its first batch leaves whole batches, and the next run completes', async () => {
    const total = RETENTION_BATCH * 2 + 7;
    await bulkHistory(db, shortSite.id, total, 45);
    await bulkHistory(db, shortSite.id, 5, 1);
    const service = t.app.get(RetentionService);

    const stop = new Error('killed midway');
    await expect(
      service.run({
        afterBatch: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(await counts(db, shortSite.id)).toMatchObject({ conversations: total + 5 - RETENTION_BATCH });
    expect(await retentionEvents(t, owner)).toHaveLength(1);

    await service.run();
    expect(await counts(db, shortSite.id)).toEqual({ visitors: 5, conversations: 5, messages: 10 });
    const events = await retentionEvents(t, owner);
    const deleted = events.reduce((sum, event) => sum + Number(event.details['conversations']), 0);
    expect(deleted).toBe(total);
    expect(events.reduce((sum, event) => sum + Number(event.details['messages']), 0)).toBe(total * 2);
  });

  it('tells live inboxes which conversations it deleted', async () => {
    const visitor = await createVisitorSession(t.http, shortSite);
    await sendAndAwaitAnswer(t.http, visitor.headers, 'soon forgotten');
    await age(db, shortSite.id, 60);
    const inbox = await RealtimeClient.connect(await t.listen());
    try {
      inbox.send({ type: 'auth', accessToken: owner.accessToken });
      await inbox.next(ofType('ready'));
      inbox.send({ type: 'subscribe', siteId: shortSite.id });
      await inbox.next(ofType('subscribed'));

      await t.app.get(RetentionService).run();

      expect(await inbox.next(ofType('conversation.deleted'))).toEqual({
        type: 'conversation.deleted',
        siteId: shortSite.id,
        conversationId: visitor.conversation.id,
      });
      await t.http
        .get(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: shortSite.id,
            conversationId: visitor.conversation.id,
          }),
        )
        .set(owner.auth)
        .expect(404);
    } finally {
      inbox.close();
    }
  });
});

describe('retention schedule', () => {
  it('runs in the background on its own when the app is given a schedule', async () => {
    const t = await startTestApp({ retentionSchedule: { firstRunAfterMs: 10, everyMs: 100 } });
    try {
      const db = t.app.get(DataSource);
      const owner = await signUp(t.http);
      const site = await createSite(t.http, owner, { retentionDays: 1 });
      await bulkHistory(db, site.id, 4, 2);
      for (let waited = 0; waited < 10_000; waited += 50) {
        if ((await counts(db, site.id))['conversations'] === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await counts(db, site.id)).toEqual({ visitors: 0, conversations: 0, messages: 0 });
    } finally {
      await t.close();
    }
  });
});
