import { randomUUID } from 'node:crypto';

import type { ErrorResponse, PrivacyConversationSubject, PrivacyExport, Site } from '@cloop/contracts';

import {
  addMember,
  createSite,
  createVisitorSession,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

describe('privacy: the visitor behind a conversation', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let member: SignedUpUser;
  let site: Site;
  let otherSite: Site;

  const subjectOf = (conversationId: string, on: Site = site, user: SignedUpUser = owner) =>
    t.http
      .get(
        route('/api/v1/sites/{siteId}/privacy/conversations/{conversationId}/subject', {
          siteId: on.id,
          conversationId,
        }),
      )
      .set(user.auth);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http);
    member = await signUp(t.http);
    await addMember(t.http, owner, member, 'member');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    const stranger = await signUp(t.http);
    otherSite = await createSite(t.http, stranger, { allowedOrigins: [ORIGIN] });
  });
  afterAll(() => t.close());

  it("gives the widget's visitor UUID and the email left, which an export then finds", async () => {
    const session = await createVisitorSession(t.http, site);
    await sendVisitorMessage(t.http, session.headers, 'Where is my parcel?');
    await t.http
      .put(route('/api/v1/widget/contact'))
      .set(session.headers)
      .send({ email: 'ada@example.com' })
      .expect(200);

    const response = await subjectOf(session.conversation.id).expect(200);
    const subject = response.body as PrivacyConversationSubject;
    expect(subject).toEqual({
      conversationId: session.conversation.id,
      visitorId: session.visitorId,
      email: 'ada@example.com',
    });

    const exported = await t.http
      .post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId: site.id }))
      .set(owner.auth)
      .send({ visitorId: subject.visitorId })
      .expect(200);
    const document = JSON.parse(exported.text) as PrivacyExport;
    expect(document.data['conversations']?.map((row) => row['id'])).toEqual([session.conversation.id]);
  });

  it('gives a null email when the visitor left none', async () => {
    const session = await createVisitorSession(t.http, site);
    const response = await subjectOf(session.conversation.id).expect(200);
    expect((response.body as PrivacyConversationSubject).email).toBeNull();
  });

  it('answers 404 for a conversation of another site, and for one that does not exist', async () => {
    const foreign = await createVisitorSession(t.http, otherSite);
    for (const response of [await subjectOf(foreign.conversation.id), await subjectOf(randomUUID())]) {
      expect(response.status).toBe(404);
      expect((response.body as ErrorResponse).code).toBe('CONVERSATION_NOT_FOUND');
    }
  });

  it('answers 400 for a conversation id that is not a UUID', async () => {
    const response = await subjectOf('fdc891');
    expect(response.status).toBe(400);
    expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
  });

  it('is for admins and owners: a member is refused, as with exports', async () => {
    const session = await createVisitorSession(t.http, site);
    const response = await subjectOf(session.conversation.id, site, member);
    expect(response.status).toBe(403);
  });
});
