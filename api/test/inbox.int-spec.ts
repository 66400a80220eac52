import { randomUUID } from 'node:crypto';

import type {
  ErrorResponse,
  Message,
  SendMessageRequest,
  UpdateConversationRequest,
  WidgetMessagesResponse,
} from '@cloop/contracts';
import { route } from '@cloop/client/route';

import {
  createVisitorSession,
  getTranscript,
  listAllConversations,
  sendVisitorMessage,
} from './support/factories';
import {
  admin,
  base,
  conversationWith,
  expectCode,
  member,
  otherSite,
  outsider,
  owner,
  patch,
  reply,
  site,
  t,
  useInboxWorld,
} from './support/inbox-world';

// The inbox's conversations: transcripts, replies, changes, deletion and who may do them (the
// list, filters and search: inbox-list.int-spec.ts).
useInboxWorld();

describe('transcript and replies', () => {
  it("returns the messages in seq order with the agent's name on agent replies", async () => {
    const session = await conversationWith('Is this available in red?');
    await reply(session.conversation.id, { id: randomUUID(), body: 'Yes, from next week.' }).expect(201);
    const { conversation, messages } = await getTranscript(t.http, owner, site.id, session.conversation.id);
    expect(conversation).toMatchObject({ id: session.conversation.id, lastSeq: 3, messageCount: 3 });
    expect(messages.map((m) => [m.seq, m.author, m.authorName])).toEqual([
      [1, 'visitor', null],
      [2, 'assistant', null],
      [3, 'agent', 'Maija Member'],
    ]);
  });

  it("still delivers an agent's last reply to the widget after the agent closes the conversation", async () => {
    const session = await conversationWith('Thanks for the help!');
    const last = (await reply(session.conversation.id, { id: randomUUID(), body: 'Goodbye!' }).expect(201))
      .body as Message;
    await t.http
      .patch(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
          siteId: site.id,
          conversationId: session.conversation.id,
        }),
      )
      .set(owner.auth)
      .send({ status: 'closed' })
      .expect(200);
    const seen = await t.http
      .get(`${route('/api/v1/widget/messages')}?after=${last.seq - 1}`)
      .set(session.headers)
      .expect(200);
    expect((seen.body as WidgetMessagesResponse).items).toEqual([last]);
  });

  it('hands the conversation over: once an agent has replied, the assistant stops answering', async () => {
    const session = await conversationWith('Can you check my order?');
    await reply(session.conversation.id, { id: randomUUID(), body: 'Looking into it now.' }).expect(201);
    const followUp = await sendVisitorMessage(t.http, session.headers, 'Thanks, the number is 1234');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { messages } = await getTranscript(t.http, owner, site.id, session.conversation.id);
    expect(messages.at(-1)).toMatchObject({ seq: followUp.seq, author: 'visitor' });
  });

  it('stores an agent reply once: 201, then 200 with the same message, 409 for another body', async () => {
    const session = await conversationWith('When do you open?');
    const request: SendMessageRequest = { id: randomUUID(), body: 'At nine, every weekday.' };
    const created = (await reply(session.conversation.id, request).expect(201)).body as Message;
    expect(created).toMatchObject({
      seq: 3,
      author: 'agent',
      authorName: 'Maija Member',
      body: request.body,
    });
    expect((await reply(session.conversation.id, request).expect(200)).body).toEqual(created);
    const conflict = await reply(session.conversation.id, { id: request.id, body: 'At ten.' });
    expectCode(conflict, 409, 'MESSAGE_ID_CONFLICT');

    const seen = await t.http
      .get(`${route('/api/v1/widget/messages')}?after=2`)
      .set(session.headers)
      .expect(200);
    expect((seen.body as WidgetMessagesResponse).items).toEqual([created]);
  });

  it.each([
    ['a blank body', { id: randomUUID(), body: '   ' }],
    ['a missing id', { body: 'Hello' }],
    ['an unknown field', { id: randomUUID(), body: 'Hello', author: 'assistant' }],
  ])('refuses an agent reply with %s with a 400', async (_, body) => {
    const session = await createVisitorSession(t.http, site);
    expectCode(await reply(session.conversation.id, body as SendMessageRequest), 400, 'VALIDATION_FAILED');
    expect((await getTranscript(t.http, member, site.id, session.conversation.id)).messages).toEqual([]);
  });
});

describe('changes', () => {
  it('changes the phase, status and lead status', async () => {
    const session = await conversationWith('Just browsing');
    const changes: UpdateConversationRequest = {
      phase: 'learning',
      status: 'closed',
      leadStatus: 'contacted',
    };
    const response = await patch(session.conversation.id, changes).expect(200);
    expect(response.body).toMatchObject({ id: session.conversation.id, ...changes });
    const { conversation } = await getTranscript(t.http, member, site.id, session.conversation.id);
    expect(conversation).toMatchObject(changes);
  });

  it('refuses to reopen a conversation while its visitor has another open one, changing neither', async () => {
    const first = await conversationWith('A first visit');
    await patch(first.conversation.id, { status: 'closed' }).expect(200);
    const second = await createVisitorSession(t.http, site, { visitorId: first.visitorId });
    expect(second.conversation.id).not.toBe(first.conversation.id);

    const response = await patch(first.conversation.id, { status: 'open' });
    expect(response.status).toBe(409);
    expect((response.body as ErrorResponse).code).toBe('CONVERSATION_ALREADY_OPEN');
    const statusOf = async (id: string) =>
      (await getTranscript(t.http, member, site.id, id)).conversation.status;
    expect([await statusOf(first.conversation.id), await statusOf(second.conversation.id)]).toEqual([
      'closed',
      'open',
    ]);
  });

  it.each([
    ['an unknown phase', { phase: 'done' }],
    ['an unknown status', { status: 'archived' }],
    ['an unknown lead status', { leadStatus: 'hot' }],
    ['a null phase', { phase: null }],
    ['a field that cannot be changed', { email: 'someone@example.test' }],
  ])('refuses %s with a 400 and changes nothing', async (_, body) => {
    const session = await createVisitorSession(t.http, site);
    expectCode(await patch(session.conversation.id, body), 400, 'VALIDATION_FAILED');
    const { conversation } = await getTranscript(t.http, member, site.id, session.conversation.id);
    expect(conversation).toMatchObject({
      phase: 'exploring',
      status: 'open',
      leadStatus: 'none',
      email: null,
    });
  });

  it('answers 404 CONVERSATION_NOT_FOUND for an unknown conversation on every route', async () => {
    const id = randomUUID();
    for (const response of [
      await t.http
        .get(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: id,
          }),
        )
        .set(member.auth),
      await patch(id, { phase: 'learning' }),
      await reply(id, { id: randomUUID(), body: 'Hello?' }),
      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: id,
          }),
        )
        .set(admin.auth),
    ]) {
      expectCode(response, 404, 'CONVERSATION_NOT_FOUND');
    }
  });

  it("answers 404 for another site's conversation under this site and leaves it untouched", async () => {
    const elsewhere = await conversationWith('A question on the other shop', otherSite);
    const id = elsewhere.conversation.id;
    for (const response of [
      await t.http
        .get(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: id,
          }),
        )
        .set(owner.auth),
      await patch(id, { phase: 'learning', status: 'closed' }, owner),
      await reply(id, { id: randomUUID(), body: 'Wrong site' }, owner),
      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: id,
          }),
        )
        .set(owner.auth),
    ]) {
      expectCode(response, 404, 'CONVERSATION_NOT_FOUND');
    }
    const { conversation, messages } = await getTranscript(t.http, owner, otherSite.id, id);
    expect(conversation).toMatchObject({ phase: 'exploring', status: 'open', lastSeq: 2 });
    expect(messages).toHaveLength(2);
  });
});

describe('delete', () => {
  it('lets an admin delete a conversation (204), after which it is gone (404)', async () => {
    const session = await conversationWith('Please forget this');
    await t.http
      .delete(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
          siteId: site.id,
          conversationId: session.conversation.id,
        }),
      )
      .set(admin.auth)
      .expect(204);
    expectCode(
      await t.http
        .get(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: session.conversation.id,
          }),
        )
        .set(admin.auth),
      404,
      'CONVERSATION_NOT_FOUND',
    );
    expectCode(
      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: session.conversation.id,
          }),
        )
        .set(admin.auth),
      404,
      'CONVERSATION_NOT_FOUND',
    );
    expect((await listAllConversations(t.http, admin, site.id)).map((c) => c.id)).not.toContain(
      session.conversation.id,
    );
    const resumed = await createVisitorSession(t.http, site, { visitorId: session.visitorId });
    expect(resumed.conversation.id).not.toBe(session.conversation.id);
    expect(resumed.messages).toEqual([]);
  });

  it('refuses a member with 403 and keeps the conversation', async () => {
    const session = await conversationWith('Keep this');
    expectCode(
      await t.http
        .delete(
          route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
            siteId: site.id,
            conversationId: session.conversation.id,
          }),
        )
        .set(member.auth),
      403,
      'FORBIDDEN',
    );
    expect((await getTranscript(t.http, member, site.id, session.conversation.id)).messages).toHaveLength(2);
  });
});

it('answers a console user of another organization 404 on every inbox route and changes nothing', async () => {
  const session = await conversationWith('Private to this shop');
  const id = session.conversation.id;
  const before = await getTranscript(t.http, owner, site.id, id);
  for (const response of [
    await t.http.get(base()).set(outsider.auth),
    await t.http
      .get(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
          siteId: site.id,
          conversationId: id,
        }),
      )
      .set(outsider.auth),
    await patch(id, { phase: 'learning' }, outsider),
    await reply(id, { id: randomUUID(), body: 'Hi from outside' }, outsider),
    await t.http
      .delete(
        route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
          siteId: site.id,
          conversationId: id,
        }),
      )
      .set(outsider.auth),
  ]) {
    expectCode(response, 404, 'SITE_NOT_FOUND');
  }
  expect(await getTranscript(t.http, owner, site.id, id)).toEqual(before);
});
