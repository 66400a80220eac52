import { randomUUID } from 'node:crypto';

import { type ErasureResult, REALTIME_CLOSE_CODES } from '@cloop/contracts';
import { type Response } from 'supertest';

import {
  countAllRows,
  createVisitorSession,
  findTextAnywhere,
  findUuidAnywhere,
  sendAndAwaitAnswer,
  sendVisitorMessage,
} from './support/factories';
import {
  ORIGIN,
  marker,
  t,
  db,
  member,
  site,
  sisterSite,
  foreignSite,
  sql,
  count,
  eraseBy,
  ledger,
  visitorRecord,
  messageIdsOf,
  agentReply,
  closeConversation,
  visitorWith,
  visitorSocket,
  consoleSocket,
  usePrivacyWorld,
} from './support/privacy-world';
import { ofType } from './support/realtime-client';
import { route } from '@cloop/client/route';

usePrivacyWorld();

describe('privacy: erasure, what goes, what stays, who is told', () => {
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
      await t.http.put(route('/api/v1/widget/contact')).set(first.headers).send({ email }).expect(200);
      await agentReply(site, first.conversation.id, `About ${word}: it ships today`);
      await closeConversation(site, first.conversation.id);
      const second = await createVisitorSession(t.http, site, {
        visitorId,
        entryUrl: `${ORIGIN}/${word}/second`,
        locale: localeTag,
      });
      expect(second.conversation.id).not.toBe(first.conversation.id);
      await sendAndAwaitAnswer(t.http, second.headers, `Still waiting for ${word}`);
      await t.http.put(route('/api/v1/widget/contact')).set(second.headers).send({ email }).expect(200);
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
          .post(route('/api/v1/widget/messages'))
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
          .post(route('/api/v1/widget/messages'))
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

      await t.http.delete(route('/api/v1/widget/privacy')).set(subject.session.headers).expect(200);

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

  it('sends nothing from the erased visitor to later sessions', async () => {
    // The erased visitor's old headers open a brand-new visitor with no history.
    const me = await visitorWith(site, `Before ${marker()}`);
    await eraseBy({ visitorId: me.session.visitorId }).expect(200);
    const message = await sendVisitorMessage(t.http, me.session.headers, 'After');
    expect(message.seq).toBe(1);
  });
});
