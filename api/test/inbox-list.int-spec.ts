import { randomUUID } from 'node:crypto';

import type { Conversation, Page, WidgetContactRequest } from '@cloop/contracts';
import { route } from '@cloop/client/route';
import { DataSource } from 'typeorm';

import { createSite, createVisitorSession, listAllConversations } from './support/factories';
import {
  base,
  conversationWith,
  expectCode,
  idsOf,
  list,
  member,
  otherSite,
  owner,
  site,
  t,
  useInboxWorld,
} from './support/inbox-world';

// The inbox list: order, filters, search and paging (the rest of the inbox: inbox.int-spec.ts).
useInboxWorld();

describe('list', () => {
  const WORD = `quokkaberry${randomUUID().slice(0, 8)}`;
  let plain: Conversation;
  let searchable: Conversation;
  let human: Conversation;
  let lead: Conversation;

  beforeAll(async () => {
    // One after another, each settled, so their last activity is in this order.
    const sessions = [
      await conversationWith('Do you ship to Finland?'),
      await conversationWith(`Tell me about the ${WORD.toUpperCase()} collection`),
      await conversationWith('Can I talk to a human?'),
      await conversationWith('Do you sell gift cards?'),
    ];
    const contact: WidgetContactRequest = { email: 'lead@example.test' };
    await t.http
      .put(route('/api/v1/widget/contact'))
      .set(sessions[3]?.headers ?? {})
      .send(contact)
      .expect(200);
    const all = await listAllConversations(t.http, member, site.id);
    [plain, searchable, human, lead] = sessions.map((s) => {
      const found = all.find((c) => c.id === s.conversation.id);
      if (!found) throw new Error('a conversation is missing from the inbox');
      return found;
    });
  });

  it('lists the conversations newest activity first', async () => {
    expect(idsOf(await list({}))).toEqual([lead.id, human.id, searchable.id, plain.id]);
  });

  it('filters by phase', async () => {
    expect(idsOf(await list({ phase: 'requesting_contact' }))).toEqual([lead.id, human.id]);
    expect(idsOf(await list({ phase: 'exploring' }))).toEqual([searchable.id, plain.id]);
    expect(idsOf(await list({ phase: 'learning' }))).toEqual([]);
  });

  it('filters leads and non-leads', async () => {
    const leads = await list({ lead: 'true' });
    expect(leads.items).toEqual([expect.objectContaining({ id: lead.id, leadStatus: 'new' })]);
    expect(idsOf(await list({ lead: 'false' }))).toEqual([human.id, searchable.id, plain.id]);
  });

  it('searches the words of the messages, whatever their case', async () => {
    expect(idsOf(await list({ q: WORD }))).toEqual([searchable.id]);
    expect(idsOf(await list({ q: `${WORD}zz` }))).toEqual([]);
    expect(idsOf(await list({ q: '?!' }))).toEqual([]);
    expect(idsOf(await list({ q: 'Finland', phase: 'exploring' }))).toEqual([plain.id]);
  });

  it('filters by a date range of the last activity, both ends included', async () => {
    const at = (c: Conversation) => c.lastMessageAt;
    expect(idsOf(await list({ from: at(human), to: at(human) }))).toEqual([human.id]);
    expect(idsOf(await list({ from: at(human) }))).toEqual([lead.id, human.id]);
    expect(idsOf(await list({ to: at(searchable) }))).toEqual([searchable.id, plain.id]);
    expect(idsOf(await list({ from: at(lead), to: at(plain) }))).toEqual([]);
  });

  it.each([
    ['an unknown phase', { phase: 'closing' }],
    ['a lead flag that is not a boolean', { lead: 'yes' }],
    ['a date that is not ISO 8601', { from: 'yesterday' }],
    ['a limit above the maximum', { limit: '101' }],
    ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }],
  ])('refuses %s with a 400', async (_, query) => {
    const response = await t.http.get(`${base()}?${new URLSearchParams(query).toString()}`).set(member.auth);
    expectCode(response, 400, 'VALIDATION_FAILED');
  });

  it('walks every conversation exactly once with limit=1, newest activity first', async () => {
    const tied = await t.concurrently(() =>
      Promise.all(Array.from({ length: 8 }, () => createVisitorSession(t.http, site))),
    );
    // Activity in the same millisecond happens; force it, so that the id must break the ties.
    await t.app
      .get(DataSource)
      .query(`UPDATE conversations SET last_message_at = $1 WHERE id = ANY($2::uuid[])`, [
        human.lastMessageAt,
        tied.map((session) => session.conversation.id),
      ]);
    const all = await listAllConversations(t.http, member, site.id);
    const walked: Conversation[] = [];
    let cursor: string | null = null;
    do {
      const page = await list({ limit: '1', ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(1);
      walked.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && walked.length <= all.length);
    expect(walked.map((c) => c.id)).toEqual(all.map((c) => c.id));
    expect(new Set(walked.map((c) => c.id)).size).toBe(walked.length);
    for (const [previous, next] of walked.slice(0, -1).map((c, i) => [c, walked[i + 1]] as const)) {
      if (!next) continue;
      const order =
        previous.lastMessageAt.localeCompare(next.lastMessageAt) || previous.id.localeCompare(next.id);
      expect(order).toBeGreaterThan(0);
    }
  });

  it('searches a common word (past the hits the full-text index is used for) with the same result', async () => {
    // 24 conversations, every second one with the word in 100 messages (1,200 hits), the others
    // without; and a rare word in two of them. Then 1,000 more hits on another site, which the
    // site's count leaves out, and 1,000 more here: the common word passes the 2,000 hits up to
    // which the search starts from the full-text index, the rare one does not.
    const { siteId } = await createSite(t.http, owner, { name: 'Busy shop' }).then((s) => ({
      siteId: s.id,
    }));
    const db = t.app.get(DataSource);
    const seed = (onSite: string, conversations: number, messages: number, body: string) =>
      db.query(
        `WITH v AS (INSERT INTO visitors (site_id, visitor_uuid)
                    SELECT $1, gen_random_uuid() FROM generate_series(1, $2::int) RETURNING id),
              c AS (INSERT INTO conversations (site_id, visitor_id, status, message_count, last_seq, last_message_at)
                    SELECT $1, v.id, 'closed', $3, $3,
                           now() - (hashtext(v.id::text) % 100000) * interval '1 second' FROM v
                    RETURNING id)
         INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, body)
         SELECT c.id, $1, s, gen_random_uuid(), 'visitor', $4 || ' ' || s FROM c, generate_series(1, $3::int) s`,
        [onSite, conversations, messages, body],
      );
    await seed(siteId, 12, 100, 'Is the teapot in stock');
    await seed(siteId, 10, 100, 'Plain question');
    await seed(siteId, 2, 1, 'The teapot from wombatville');
    await seed(otherSite.id, 10, 100, 'Is the teapot in stock');
    const expected = async (word: string) =>
      (
        await db.query<{ id: string }[]>(
          `SELECT c.id FROM conversations c WHERE c.site_id = $1 AND EXISTS (
             SELECT 1 FROM messages m WHERE m.conversation_id = c.id
                AND to_tsvector('simple', m.body) @@ plainto_tsquery('simple', $2))
           ORDER BY c.last_message_at DESC, c.id DESC`,
          [siteId, word],
        )
      ).map((row) => row.id);
    const walk = async (q: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await t.http
          .get(
            `${base(siteId)}?${new URLSearchParams({ q, limit: '5', ...(cursor ? { cursor } : {}) }).toString()}`,
          )
          .set(member.auth);
        expect(response.status).toBe(200);
        const page = response.body as Page<Conversation>;
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor && ids.length <= 100);
      return ids;
    };
    for (const [word, count] of [
      ['teapot', 14],
      ['wombatville', 2],
    ] as const) {
      expect(await expected(word)).toHaveLength(count);
      expect(await walk(word)).toEqual(await expected(word));
    }
    await seed(siteId, 10, 100, 'A teapot again');
    expect(await expected('teapot')).toHaveLength(24);
    expect(await walk('TEAPOT')).toEqual(await expected('teapot'));
    // With PostgreSQL's statistics of the words, the common word is searched in activity order.
    await db.query('ANALYZE messages');
    expect(await walk('teapot')).toEqual(await expected('teapot'));
    expect(await walk('wombatville')).toEqual(await expected('wombatville'));
  });
});
