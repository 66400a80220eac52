import { randomUUID } from 'node:crypto';

import type {
  AuthResponse,
  ChangePasswordRequest,
  ConversationSeenRequest,
  CreateKnowledgeSourceRequest,
  CreateSiteRequest,
  CreateWebhookRequest,
  DeleteAccountRequest,
  ErrorResponse,
  InviteMemberRequest,
  KnowledgeSearchRequest,
  KnowledgeSource,
  InviteMemberResponse,
  LoginRequest,
  LogoutRequest,
  Page,
  PrivacySubjectRequest,
  RenameOrganizationRequest,
  RefreshRequest,
  Message,
  SendMessageRequest,
  SignupRequest,
  Site,
  UpdateConversationRequest,
  UpdateMemberRequest,
  UpdateSiteRequest,
  UpdateWebhookRequest,
  WebhookEndpointWithSecret,
  WidgetContactRequest,
  WidgetSeenRequest,
  WidgetSessionRequest,
  WidgetSessionResponse,
} from '@cloop/contracts';
import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

import { addMember, createSite, PASSWORD, type SignedUpUser, signUp, uniqueEmail } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

type Caller = 'anonymous' | 'member' | 'admin' | 'owner' | 'ownerB';
type SignedInCaller = Exclude<Caller, 'anonymous'>;
const CALLERS: readonly Caller[] = ['anonymous', 'member', 'admin', 'owner', 'ownerB'];

/** Everything a row needs; `users` and `passwords` change when a caller changes their password. */
interface World {
  http: TestAgent;
  users: Record<SignedInCaller, SignedUpUser>;
  passwords: Record<SignedInCaller, string>;
  /** Allows the widget on {@link SITE_A_ORIGIN}. */
  siteA: Site;
  /** A conversation on site A that rows may read and change but not delete. */
  conversationId: string;
  /** A knowledge source (a Q&A) on site A that rows may read but not delete. */
  sourceId: string;
  /** A disabled webhook endpoint on site A that rows may read and change but not delete. */
  webhookId: string;
  /** An account the public auth routes sign in to, so that callers' own sessions stay untouched. */
  bystander: SignedUpUser;
}

interface Row {
  expected: Record<Caller, number>;
  /** Sends a request that is valid for the route, against org A / site A, with fresh targets where it destroys. */
  call(w: World, caller: Caller): Promise<Response>;
}

const everyone = (status: number): Record<Caller, number> => ({
  anonymous: status,
  member: status,
  admin: status,
  owner: status,
  ownerB: status,
});
const signedIn = (status: number): Record<Caller, number> => ({ ...everyone(status), anonymous: 401 });
/** Org A's own roles get the given statuses; outsiders do not learn that the resource exists. */
const inOrgA = (member: number, admin: number, owner: number): Record<Caller, number> => ({
  anonymous: 401,
  member,
  admin,
  owner,
  ownerB: 404,
});

const authOf = (w: World, caller: Caller): Record<string, string> =>
  caller === 'anonymous' ? {} : w.users[caller].auth;
const as = (w: World, caller: Caller, test: Test): Test => test.set(authOf(w, caller));
const orgA = (w: World): string => `/api/v1/organizations/${w.users.owner.organizationId}`;

async function freshSession(w: World): Promise<AuthResponse> {
  const body: LoginRequest = { email: w.bystander.email, password: PASSWORD };
  return (await w.http.post('/api/v1/auth/login').send(body).expect(200)).body as AuthResponse;
}

async function freshInvitationId(w: World): Promise<string> {
  const body: InviteMemberRequest = { email: uniqueEmail('invitee'), role: 'member' };
  const response = await w.http
    .post(`${orgA(w)}/members`)
    .set(w.users.owner.auth)
    .send(body)
    .expect(201);
  const invited = response.body as InviteMemberResponse;
  if (invited.status !== 'invited') throw new Error('expected an invitation for an unknown email');
  return invited.invitation.id;
}

async function freshMemberOfA(w: World): Promise<SignedUpUser> {
  const member = await signUp(w.http, { name: 'Throwaway' });
  await addMember(w.http, w.users.owner, member, 'member');
  return member;
}

const freshSiteA = (w: World): Promise<Site> => createSite(w.http, w.users.owner, { name: 'Throwaway site' });

const SITE_A_ORIGIN = 'https://shop-a.example';
const WIDGET_PATHS = [
  'config',
  'session',
  'unread',
  'messages',
  'contact',
  'seen',
  'privacy',
  'privacy/export',
] as const;
const PREFLIGHT_METHOD: Record<(typeof WIDGET_PATHS)[number], string> = {
  config: 'GET',
  session: 'POST',
  unread: 'GET',
  messages: 'POST',
  contact: 'PUT',
  seen: 'PUT',
  privacy: 'DELETE',
  'privacy/export': 'GET',
};

/** What the widget on site A's page sends: the site key, the page's origin and, here, a new visitor. */
const widgetHeaders = (w: Pick<World, 'siteA'>): Record<string, string> => ({
  'X-Cloop-Site-Key': w.siteA.publicKey,
  Origin: SITE_A_ORIGIN,
  'X-Cloop-Visitor': randomUUID(),
});
/** The caller's bearer token (which the widget API ignores) and the widget's own headers. */
const asWidget = (w: World, caller: Caller, test: Test): Test => as(w, caller, test).set(widgetHeaders(w));
const conversationsOfA = (w: World): string => `/api/v1/sites/${w.siteA.id}/conversations`;
const knowledgeOfA = (w: World, path: string): string => `/api/v1/sites/${w.siteA.id}/knowledge/${path}`;

/** A knowledge source on site A that a row may delete. */
async function freshSourceId(w: World): Promise<string> {
  const body: CreateKnowledgeSourceRequest = { type: 'qa', question: 'Throwaway?', answer: 'Yes.' };
  const response = await w.http
    .post(knowledgeOfA(w, 'sources'))
    .set(w.users.owner.auth)
    .send(body)
    .expect(201);
  return (response.body as KnowledgeSource).id;
}

const webhooksOfA = (w: World, path = ''): string => `/api/v1/sites/${w.siteA.id}/webhooks${path}`;

/** A disabled endpoint on site A (nothing is sent to it); a row may delete it. */
async function freshWebhookId(w: Pick<World, 'http' | 'siteA' | 'users'>): Promise<string> {
  const body: CreateWebhookRequest = {
    url: 'https://hooks.example/cloop',
    events: ['lead.captured'],
    enabled: false,
  };
  const response = await w.http
    .post(`/api/v1/sites/${w.siteA.id}/webhooks`)
    .set(w.users.owner.auth)
    .send(body)
    .expect(201);
  return (response.body as WebhookEndpointWithSecret).webhook.id;
}

/** A new visitor opens a conversation on site A through the widget API and says hello. */
async function freshConversationId(w: Pick<World, 'http' | 'siteA'>): Promise<string> {
  const visitor = widgetHeaders(w);
  const session: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/pricing` };
  const opened = await w.http.post('/api/v1/widget/session').set(visitor).send(session).expect(200);
  const message: SendMessageRequest = { id: randomUUID(), body: 'Hello' };
  await w.http.post('/api/v1/widget/messages').set(visitor).send(message).expect(201);
  return (opened.body as WidgetSessionResponse).conversation.id;
}

/** A new visitor asks a question on site A; its message id is what the unanswered list names. */
async function freshQuestionId(w: Pick<World, 'http' | 'siteA'>): Promise<string> {
  const visitor = widgetHeaders(w);
  const session: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/pricing` };
  await w.http.post('/api/v1/widget/session').set(visitor).send(session).expect(200);
  const message: SendMessageRequest = { id: randomUUID(), body: 'Do you ship to the moon?' };
  const sent = await w.http.post('/api/v1/widget/messages').set(visitor).send(message).expect(201);
  return (sent.body as Message).id;
}

const MATRIX: Record<string, Row> = {
  'GET /api/health': { expected: everyone(200), call: (w, c) => as(w, c, w.http.get('/api/health')) },
  'GET /api/ready': { expected: everyone(200), call: (w, c) => as(w, c, w.http.get('/api/ready')) },
  'POST /api/v1/auth/signup': {
    expected: everyone(201),
    call: (w, c) => {
      const body: SignupRequest = { email: uniqueEmail('signup'), password: PASSWORD, name: 'Newcomer' };
      return as(w, c, w.http.post('/api/v1/auth/signup')).send(body);
    },
  },
  'POST /api/v1/auth/login': {
    expected: everyone(200),
    call: (w, c) => {
      const body: LoginRequest = { email: w.bystander.email, password: PASSWORD };
      return as(w, c, w.http.post('/api/v1/auth/login')).send(body);
    },
  },
  'POST /api/v1/auth/refresh': {
    expected: everyone(200),
    call: async (w, c) => {
      const body: RefreshRequest = { refreshToken: (await freshSession(w)).refreshToken };
      return as(w, c, w.http.post('/api/v1/auth/refresh')).send(body);
    },
  },
  'POST /api/v1/auth/logout': {
    expected: everyone(204),
    call: async (w, c) => {
      const body: LogoutRequest = { refreshToken: (await freshSession(w)).refreshToken };
      return as(w, c, w.http.post('/api/v1/auth/logout')).send(body);
    },
  },
  'GET /api/v1/auth/me': { expected: signedIn(200), call: (w, c) => as(w, c, w.http.get('/api/v1/auth/me')) },
  // E-mail is off in this file: reset and confirmation e-mails answer MAIL_DISABLED to everyone.
  'POST /api/v1/auth/password-reset': {
    expected: everyone(409),
    call: (w, c) => as(w, c, w.http.post('/api/v1/auth/password-reset')).send({ email: w.bystander.email }),
  },
  'POST /api/v1/auth/password-reset/confirm': {
    expected: everyone(400),
    call: (w, c) =>
      as(w, c, w.http.post('/api/v1/auth/password-reset/confirm')).send({
        token: 'q2v6Hn0bS8yWcE4tLr7uJd1kXa9PfZ3mGo5iBt2eR6w',
        newPassword: 'a longer passphrase nobody guesses',
      }),
  },
  'POST /api/v1/auth/verify-email': {
    expected: everyone(400),
    call: (w, c) =>
      as(w, c, w.http.post('/api/v1/auth/verify-email')).send({ token: `e30.${'A'.repeat(43)}` }),
  },
  'POST /api/v1/auth/verify-email/resend': {
    expected: signedIn(409),
    call: (w, c) => as(w, c, w.http.post('/api/v1/auth/verify-email/resend')),
  },
  'GET /api/v1/mail/status': {
    expected: everyone(200),
    call: (w, c) => as(w, c, w.http.get('/api/v1/mail/status')),
  },
  'GET /api/v1/mail/preferences': {
    expected: signedIn(200),
    call: (w, c) => as(w, c, w.http.get('/api/v1/mail/preferences')),
  },
  'PUT /api/v1/mail/preferences': {
    expected: signedIn(200),
    call: (w, c) =>
      as(w, c, w.http.put('/api/v1/mail/preferences')).send({ leadNotifications: true, locale: 'en' }),
  },
  'GET /api/v1/invitations': {
    expected: signedIn(200),
    call: (w, c) => as(w, c, w.http.get('/api/v1/invitations')),
  },
  // Only the invited address may answer an invitation: everyone else (its inviters too) gets 404.
  'POST /api/v1/invitations/:invitationId/accept': {
    expected: signedIn(404),
    call: async (w, c) => as(w, c, w.http.post(`/api/v1/invitations/${await freshInvitationId(w)}/accept`)),
  },
  'POST /api/v1/invitations/:invitationId/decline': {
    expected: signedIn(404),
    call: async (w, c) => as(w, c, w.http.post(`/api/v1/invitations/${await freshInvitationId(w)}/decline`)),
  },
  'POST /api/v1/invitations/accept-link': {
    expected: signedIn(400),
    call: (w, c) =>
      as(w, c, w.http.post('/api/v1/invitations/accept-link')).send({ token: `e30.${'A'.repeat(43)}` }),
  },
  'POST /api/v1/auth/password': {
    expected: signedIn(200),
    call: async (w, c) => {
      const newPassword = `${c} chose a fresh passphrase ${uniqueEmail()}`;
      const current = c === 'anonymous' ? PASSWORD : w.passwords[c];
      const body: ChangePasswordRequest = { currentPassword: current, newPassword };
      const response = await as(w, c, w.http.post('/api/v1/auth/password')).send(body);
      if (c !== 'anonymous' && response.status === 200) {
        // Changing the password ends every other session: carry on with the one it returns.
        const { accessToken } = response.body as AuthResponse;
        Object.assign(w.users[c], { accessToken, auth: { Authorization: `Bearer ${accessToken}` } });
        w.passwords[c] = newPassword;
      }
      return response;
    },
  },
  'GET /api/v1/sites': {
    expected: signedIn(200),
    call: (w, c) =>
      as(w, c, w.http.get('/api/v1/sites').query({ organizationId: w.users.owner.organizationId })),
  },
  'POST /api/v1/sites': {
    expected: inOrgA(403, 201, 201),
    call: (w, c) => {
      const body: CreateSiteRequest = {
        organizationId: w.users.owner.organizationId,
        name: `Created by ${c}`,
      };
      return as(w, c, w.http.post('/api/v1/sites')).send(body);
    },
  },
  'GET /api/v1/sites/:siteId': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}`)),
  },
  'PATCH /api/v1/sites/:siteId': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => {
      const body: UpdateSiteRequest = { name: 'x' };
      return as(w, c, w.http.patch(`/api/v1/sites/${w.siteA.id}`)).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId': {
    expected: inOrgA(403, 204, 204),
    call: async (w, c) => as(w, c, w.http.delete(`/api/v1/sites/${(await freshSiteA(w)).id}`)),
  },
  'POST /api/v1/sites/:siteId/rotate-key': {
    expected: inOrgA(403, 200, 200),
    call: async (w, c) => as(w, c, w.http.post(`/api/v1/sites/${(await freshSiteA(w)).id}/rotate-key`)),
  },
  'PATCH /api/v1/organizations/:orgId': {
    expected: inOrgA(403, 403, 200),
    call: (w, c) => {
      const body: RenameOrganizationRequest = { name: 'Organization A' };
      return as(w, c, w.http.patch(orgA(w))).send(body);
    },
  },
  'GET /api/v1/organizations/:orgId/members': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/members`)),
  },
  'POST /api/v1/organizations/:orgId/members': {
    expected: inOrgA(403, 403, 201),
    call: (w, c) => {
      const body: InviteMemberRequest = { email: uniqueEmail('invitee'), role: 'member' };
      return as(w, c, w.http.post(`${orgA(w)}/members`)).send(body);
    },
  },
  'PATCH /api/v1/organizations/:orgId/members/:userId': {
    expected: inOrgA(403, 403, 200),
    call: (w, c) => {
      const body: UpdateMemberRequest = { role: 'member' };
      return as(w, c, w.http.patch(`${orgA(w)}/members/${w.users.member.userId}`)).send(body);
    },
  },
  'DELETE /api/v1/organizations/:orgId/members/:userId': {
    expected: inOrgA(403, 403, 204),
    call: async (w, c) => as(w, c, w.http.delete(`${orgA(w)}/members/${(await freshMemberOfA(w)).userId}`)),
  },
  'GET /api/v1/organizations/:orgId/invitations': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/invitations`)),
  },
  'DELETE /api/v1/organizations/:orgId/invitations/:invitationId': {
    expected: inOrgA(403, 403, 204),
    call: async (w, c) => as(w, c, w.http.delete(`${orgA(w)}/invitations/${await freshInvitationId(w)}`)),
  },
  'GET /api/v1/sites/:siteId/conversations': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(conversationsOfA(w))),
  },
  'GET /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${conversationsOfA(w)}/${w.conversationId}`)),
  },
  'PATCH /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => {
      const body: UpdateConversationRequest = { phase: 'learning' };
      return as(w, c, w.http.patch(`${conversationsOfA(w)}/${w.conversationId}`)).send(body);
    },
  },
  'PUT /api/v1/sites/:siteId/conversations/:conversationId/seen': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => {
      const body: ConversationSeenRequest = { seq: 1 };
      return as(w, c, w.http.put(`${conversationsOfA(w)}/${w.conversationId}/seen`)).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: inOrgA(403, 204, 204),
    call: async (w, c) => as(w, c, w.http.delete(`${conversationsOfA(w)}/${await freshConversationId(w)}`)),
  },
  'POST /api/v1/sites/:siteId/conversations/:conversationId/messages': {
    expected: inOrgA(201, 201, 201),
    call: (w, c) => {
      const body: SendMessageRequest = { id: randomUUID(), body: `A reply from ${c}` };
      return as(w, c, w.http.post(`${conversationsOfA(w)}/${w.conversationId}/messages`)).send(body);
    },
  },
  'GET /api/v1/widget/config': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get('/api/v1/widget/config')),
  },
  'POST /api/v1/widget/session': {
    expected: everyone(200),
    call: (w, c) => {
      const body: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/`, locale: 'en' };
      return asWidget(w, c, w.http.post('/api/v1/widget/session')).send(body);
    },
  },
  'GET /api/v1/widget/unread': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get('/api/v1/widget/unread')),
  },
  'GET /api/v1/widget/messages': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get('/api/v1/widget/messages').query({ after: 0 })),
  },
  'POST /api/v1/widget/messages': {
    expected: everyone(201),
    call: (w, c) => {
      const body: SendMessageRequest = { id: randomUUID(), body: `A question from ${c}'s browser` };
      return asWidget(w, c, w.http.post('/api/v1/widget/messages')).send(body);
    },
  },
  'PUT /api/v1/widget/contact': {
    expected: everyone(200),
    call: (w, c) => {
      const body: WidgetContactRequest = { email: uniqueEmail('visitor') };
      return asWidget(w, c, w.http.put('/api/v1/widget/contact')).send(body);
    },
  },
  'PUT /api/v1/widget/seen': {
    expected: everyone(204),
    call: async (w, c) => {
      // The visitor's own conversation; the caller's bearer token changes nothing.
      const visitor = widgetHeaders(w);
      const session: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/` };
      const opened = await w.http.post('/api/v1/widget/session').set(visitor).send(session).expect(200);
      const body: WidgetSeenRequest = {
        conversationId: (opened.body as WidgetSessionResponse).conversation.id,
        seq: 0,
      };
      return as(w, c, w.http.put('/api/v1/widget/seen')).set(visitor).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/sources': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, 'sources'))),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources': {
    expected: inOrgA(403, 201, 201),
    call: (w, c) => {
      const body: CreateKnowledgeSourceRequest = { type: 'qa', question: `Asked by ${c}?`, answer: 'Yes.' };
      return as(w, c, w.http.post(knowledgeOfA(w, 'sources'))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, `sources/${w.sourceId}`))),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: inOrgA(403, 204, 204),
    call: async (w, c) => as(w, c, w.http.delete(knowledgeOfA(w, `sources/${await freshSourceId(w)}`))),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources/:sourceId/recrawl': {
    // A Q&A cannot be crawled: reaching the service at all shows the caller was let through.
    expected: inOrgA(403, 409, 409),
    call: (w, c) => as(w, c, w.http.post(knowledgeOfA(w, `sources/${w.sourceId}/recrawl`))),
  },
  'POST /api/v1/sites/:siteId/knowledge/uploads': {
    expected: inOrgA(403, 201, 201),
    call: (w, c) =>
      as(w, c, w.http.post(knowledgeOfA(w, 'uploads'))).attach('file', Buffer.from(`Notes by ${c}`), {
        filename: 'notes.txt',
        contentType: 'text/plain',
      }),
  },
  'POST /api/v1/sites/:siteId/knowledge/search': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => {
      const body: KnowledgeSearchRequest = { query: 'opening hours' };
      return as(w, c, w.http.post(knowledgeOfA(w, 'search'))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/unanswered': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, 'unanswered'))),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/unanswered/:questionId': {
    expected: inOrgA(403, 204, 204),
    call: async (w, c) => as(w, c, w.http.delete(knowledgeOfA(w, `unanswered/${await freshQuestionId(w)}`))),
  },
  'GET /api/v1/sites/:siteId/webhooks': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w))),
  },
  'POST /api/v1/sites/:siteId/webhooks': {
    expected: inOrgA(403, 201, 201),
    call: (w, c) => {
      const body: CreateWebhookRequest = {
        url: `https://hooks.example/${c}`,
        events: ['privacy.erased'],
        enabled: false,
      };
      return as(w, c, w.http.post(webhooksOfA(w))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w, `/${w.webhookId}`))),
  },
  'PATCH /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => {
      const body: UpdateWebhookRequest = { events: ['lead.captured', 'privacy.erased'] };
      return as(w, c, w.http.patch(webhooksOfA(w, `/${w.webhookId}`))).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: inOrgA(403, 204, 204),
    call: async (w, c) => as(w, c, w.http.delete(webhooksOfA(w, `/${await freshWebhookId(w)}`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/rotate-secret': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/rotate-secret`))),
  },
  'GET /api/v1/sites/:siteId/webhooks/:webhookId/deliveries': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w, `/${w.webhookId}/deliveries`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/test': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: inOrgA(403, 409, 409),
    call: (w, c) => as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/test`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/deliveries/:deliveryId/redeliver': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: inOrgA(403, 409, 409),
    call: (w, c) =>
      as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/deliveries/${randomUUID()}/redeliver`))),
  },
  'GET /api/v1/widget/privacy/export': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get('/api/v1/widget/privacy/export')),
  },
  'DELETE /api/v1/widget/privacy': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.delete('/api/v1/widget/privacy')),
  },
  'POST /api/v1/sites/:siteId/privacy/exports': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { visitorId: randomUUID() };
      return as(w, c, w.http.post(`/api/v1/sites/${w.siteA.id}/privacy/exports`)).send(body);
    },
  },
  'POST /api/v1/sites/:siteId/privacy/erasures': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { email: uniqueEmail('subject') };
      return as(w, c, w.http.post(`/api/v1/sites/${w.siteA.id}/privacy/erasures`)).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/privacy/conversations/:conversationId/subject': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) =>
      as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/conversations/${w.conversationId}/subject`)),
  },
  'GET /api/v1/sites/:siteId/privacy/export': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/export`)),
  },
  'GET /api/v1/sites/:siteId/privacy/requests': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/requests`)),
  },
  'GET /api/v1/organizations/:orgId/audit-events': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/audit-events`)),
  },
  'GET /api/v1/auth/me/export': {
    expected: signedIn(200),
    call: (w, c) => as(w, c, w.http.get('/api/v1/auth/me/export')),
  },
  // The route acts on the caller's own account only; signed-in callers delete a throwaway account.
  'DELETE /api/v1/auth/me': {
    expected: signedIn(200),
    call: async (w, c) => {
      const body: DeleteAccountRequest = { password: PASSWORD };
      if (c === 'anonymous') return w.http.delete('/api/v1/auth/me').send(body);
      const throwaway = await signUp(w.http, { name: 'Leaving soon' });
      return w.http.delete('/api/v1/auth/me').set(throwaway.auth).send(body);
    },
  },
  ...Object.fromEntries(
    WIDGET_PATHS.map((path): [string, Row] => [
      `OPTIONS /api/v1/widget/${path}`,
      {
        expected: everyone(204),
        call: (w, c) =>
          as(w, c, w.http.options(`/api/v1/widget/${path}`)).set({
            Origin: SITE_A_ORIGIN,
            'Access-Control-Request-Method': PREFLIGHT_METHOD[path],
            'Access-Control-Request-Headers': 'content-type, x-cloop-site-key, x-cloop-visitor',
          }),
      },
    ]),
  ),
};

/** The code a refusal must carry, so that e.g. a mistyped path (404 ROUTE_NOT_FOUND) cannot pass for a 404. */
const REFUSAL_CODES: Record<number, RegExp> = {
  401: /^UNAUTHENTICATED$/,
  403: /^FORBIDDEN$/,
  404: /^(ORGANIZATION|SITE|INVITATION)_NOT_FOUND$/,
};

const CASES = Object.entries(MATRIX).flatMap(([route, row]) =>
  CALLERS.map((caller): [string, Caller, number] => [route, caller, row.expected[caller]]),
);

/** The agent with every response it receives kept, so the file can check headers of all of them. */
function recording(agent: TestAgent, seen: Response[]): TestAgent {
  const verbs = new Set<string | symbol>(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !verbs.has(property)) return value;
      return (...args: unknown[]): Test =>
        (Reflect.apply(value, target, args) as Test).on('response', (response: Response) =>
          seen.push(response),
        );
    },
  });
}

describe('authorization matrix', () => {
  let t: TestApp;
  let w: World;
  const seen: Response[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const http = recording(t.http, seen);
    const owner = await signUp(http, { name: 'Owner A' });
    const member = await signUp(http, { name: 'Member A' });
    const admin = await signUp(http, { name: 'Admin A' });
    const ownerB = await signUp(http, { name: 'Owner B' });
    const bystander = await signUp(http, { name: 'Bystander' });
    await addMember(http, owner, member, 'member');
    await addMember(http, owner, admin, 'admin');
    const siteA = await createSite(http, owner, { name: 'Site A', allowedOrigins: [SITE_A_ORIGIN] });
    await createSite(http, ownerB, { name: 'Site B' });
    const conversationId = await freshConversationId({ http, siteA });
    w = {
      http,
      users: { owner, member, admin, ownerB },
      passwords: { owner: PASSWORD, member: PASSWORD, admin: PASSWORD, ownerB: PASSWORD },
      siteA,
      conversationId,
      sourceId: '',
      webhookId: '',
      bystander,
    };
    w.sourceId = await freshSourceId(w);
    w.webhookId = await freshWebhookId(w);
  });
  afterAll(() => t.close());

  it('has an entry for every registered /api/ route and none for a route that does not exist', () => {
    const registered = t.routes.filter((route) => {
      const path = route.split(' ')[1] ?? '';
      return path.startsWith('/api/') && !path.startsWith('/api/docs') && path !== '/api/openapi.json';
    });
    const inMatrix = Object.keys(MATRIX);
    expect({
      missingFromMatrix: registered.filter((route) => !inMatrix.includes(route)),
      notRegistered: inMatrix.filter((route) => !registered.includes(route)),
    }).toEqual({ missingFromMatrix: [], notRegistered: [] });
  });

  it.each(CASES)('%s as %s → %i', async (route, caller, expected) => {
    const row = MATRIX[route];
    if (!row) throw new Error(`no row for ${route}`);
    const response = await row.call(w, caller);
    const refusal = REFUSAL_CODES[expected];
    const { code } = response.body as Partial<ErrorResponse>;
    expect({ status: response.status, code }).toEqual({
      status: expected,
      code: refusal ? (expect.stringMatching(refusal) as unknown) : code,
    });
  });

  it("lists none of org A's sites to the owner of another organization", async () => {
    const response = await w.http
      .get('/api/v1/sites')
      .query({ organizationId: w.users.owner.organizationId })
      .set(w.users.ownerB.auth)
      .expect(200);
    expect((response.body as Page<Site>).items).toEqual([]);
  });

  it('sets no cookie on any response in this file', () => {
    expect(seen.length).toBeGreaterThan(CASES.length);
    const cookies = seen
      .map((response) => (response.headers as Record<string, unknown>)['set-cookie'])
      .filter((cookie) => cookie !== undefined);
    expect(cookies).toEqual([]);
  });
});
