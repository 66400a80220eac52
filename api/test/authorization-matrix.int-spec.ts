import { randomUUID } from 'node:crypto';

import {
  API_KEY_AREAS,
  type ApiKeyScope,
  type AuthResponse,
  type ChangePasswordRequest,
  type ConversationSeenRequest,
  type CreateApiKeyRequest,
  type CreateKnowledgeSourceRequest,
  type CreateSiteRequest,
  type CreateWebhookRequest,
  type DeleteAccountRequest,
  type ErrorResponse,
  type InviteMemberRequest,
  type KnowledgeSearchRequest,
  type KnowledgeSource,
  type InviteMemberResponse,
  type LoginRequest,
  type LogoutRequest,
  type Page,
  type PrivacySubjectRequest,
  type RenameOrganizationRequest,
  type RefreshRequest,
  type Message,
  type SendMessageRequest,
  type SignupRequest,
  type Site,
  type UpdateConversationRequest,
  type UpdateMemberRequest,
  type UpdateSiteRequest,
  type UpdateWebhookRequest,
  type WebhookEndpointWithSecret,
  type WidgetContactRequest,
  type WidgetSeenRequest,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
} from '@cloop/contracts';
import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

import {
  addMember,
  createApiKey,
  createSite,
  keyAuth,
  PASSWORD,
  type SignedUpUser,
  signUp,
  uniqueEmail,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

type Person = 'member' | 'admin' | 'owner' | 'ownerB';
/** API keys with every scope: `keyA` created by org A's owner, `keyB` by org B's. */
type KeyCaller = 'keyA' | 'keyB';
type Caller = 'anonymous' | Person | KeyCaller;
const CALLERS: readonly Caller[] = ['anonymous', 'member', 'admin', 'owner', 'ownerB', 'keyA', 'keyB'];
const isPerson = (caller: Caller): caller is Person => caller !== 'anonymous' && !caller.startsWith('key');

/** Everything a row needs; `users` and `passwords` change when a caller changes their password. */
interface World {
  http: TestAgent;
  users: Record<Person, SignedUpUser>;
  passwords: Record<Person, string>;
  /** The secrets of {@link KeyCaller}s. */
  keys: Record<KeyCaller, string>;
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
  keyA: status,
  keyB: status,
});
/** People only: an API key is refused (403) on account, member and API-key routes. */
const signedIn = (status: number): Record<Caller, number> => ({
  ...everyone(status),
  anonymous: 401,
  keyA: 403,
  keyB: 403,
});
/** Org A's own roles get the given statuses; outsiders do not learn that the resource exists. */
const inOrgA = (member: number, admin: number, owner: number): Record<Caller, number> => ({
  anonymous: 401,
  member,
  admin,
  owner,
  ownerB: 404,
  keyA: 403,
  keyB: 403,
});
/** A route that takes API keys: org A's key does what its creator (the owner) may; org B's, what org B's owner may. */
const keyed = (expected: Record<Caller, number>): Record<Caller, number> => ({
  ...expected,
  keyA: expected.owner,
  keyB: expected.ownerB,
});

const authOf = (w: World, caller: Caller): Record<string, string> => {
  if (caller === 'anonymous') return {};
  return isPerson(caller) ? w.users[caller].auth : { Authorization: `Bearer ${w.keys[caller]}` };
};
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
const EVERY_WRITE_SCOPE: readonly ApiKeyScope[] = API_KEY_AREAS.map((area): ApiKeyScope => `${area}:write`);
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
      const current = isPerson(c) ? w.passwords[c] : PASSWORD;
      const body: ChangePasswordRequest = { currentPassword: current, newPassword };
      const response = await as(w, c, w.http.post('/api/v1/auth/password')).send(body);
      if (isPerson(c) && response.status === 200) {
        // Changing the password ends every other session: carry on with the one it returns.
        const { accessToken } = response.body as AuthResponse;
        Object.assign(w.users[c], { accessToken, auth: { Authorization: `Bearer ${accessToken}` } });
        w.passwords[c] = newPassword;
      }
      return response;
    },
  },
  'GET /api/v1/sites': {
    expected: keyed(signedIn(200)),
    call: (w, c) =>
      as(w, c, w.http.get('/api/v1/sites').query({ organizationId: w.users.owner.organizationId })),
  },
  'POST /api/v1/sites': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateSiteRequest = {
        organizationId: w.users.owner.organizationId,
        name: `Created by ${c}`,
      };
      return as(w, c, w.http.post('/api/v1/sites')).send(body);
    },
  },
  'GET /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}`)),
  },
  'PATCH /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: UpdateSiteRequest = { name: 'x' };
      return as(w, c, w.http.patch(`/api/v1/sites/${w.siteA.id}`)).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(`/api/v1/sites/${(await freshSiteA(w)).id}`)),
  },
  'POST /api/v1/sites/:siteId/rotate-key': {
    expected: keyed(inOrgA(403, 200, 200)),
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
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(conversationsOfA(w))),
  },
  'GET /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`${conversationsOfA(w)}/${w.conversationId}`)),
  },
  'PATCH /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => {
      const body: UpdateConversationRequest = { phase: 'learning' };
      return as(w, c, w.http.patch(`${conversationsOfA(w)}/${w.conversationId}`)).send(body);
    },
  },
  'PUT /api/v1/sites/:siteId/conversations/:conversationId/seen': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => {
      const body: ConversationSeenRequest = { seq: 1 };
      return as(w, c, w.http.put(`${conversationsOfA(w)}/${w.conversationId}/seen`)).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(`${conversationsOfA(w)}/${await freshConversationId(w)}`)),
  },
  'POST /api/v1/sites/:siteId/conversations/:conversationId/messages': {
    expected: keyed(inOrgA(201, 201, 201)),
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
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, 'sources'))),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateKnowledgeSourceRequest = { type: 'qa', question: `Asked by ${c}?`, answer: 'Yes.' };
      return as(w, c, w.http.post(knowledgeOfA(w, 'sources'))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, `sources/${w.sourceId}`))),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(knowledgeOfA(w, `sources/${await freshSourceId(w)}`))),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources/:sourceId/recrawl': {
    // A Q&A cannot be crawled: reaching the service at all shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) => as(w, c, w.http.post(knowledgeOfA(w, `sources/${w.sourceId}/recrawl`))),
  },
  'POST /api/v1/sites/:siteId/knowledge/uploads': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) =>
      as(w, c, w.http.post(knowledgeOfA(w, 'uploads'))).attach('file', Buffer.from(`Notes by ${c}`), {
        filename: 'notes.txt',
        contentType: 'text/plain',
      }),
  },
  'POST /api/v1/sites/:siteId/knowledge/search': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => {
      const body: KnowledgeSearchRequest = { query: 'opening hours' };
      return as(w, c, w.http.post(knowledgeOfA(w, 'search'))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/unanswered': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, 'unanswered'))),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/unanswered/:questionId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(knowledgeOfA(w, `unanswered/${await freshQuestionId(w)}`))),
  },
  'GET /api/v1/sites/:siteId/webhooks': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w))),
  },
  'POST /api/v1/sites/:siteId/webhooks': {
    expected: keyed(inOrgA(403, 201, 201)),
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
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w, `/${w.webhookId}`))),
  },
  'PATCH /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: UpdateWebhookRequest = { events: ['lead.captured', 'privacy.erased'] };
      return as(w, c, w.http.patch(webhooksOfA(w, `/${w.webhookId}`))).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(webhooksOfA(w, `/${await freshWebhookId(w)}`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/rotate-secret': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/rotate-secret`))),
  },
  'GET /api/v1/sites/:siteId/webhooks/:webhookId/deliveries': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w, `/${w.webhookId}/deliveries`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/test': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) => as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/test`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/deliveries/:deliveryId/redeliver': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
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
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { visitorId: randomUUID() };
      return as(w, c, w.http.post(`/api/v1/sites/${w.siteA.id}/privacy/exports`)).send(body);
    },
  },
  'POST /api/v1/sites/:siteId/privacy/erasures': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { email: uniqueEmail('subject') };
      return as(w, c, w.http.post(`/api/v1/sites/${w.siteA.id}/privacy/erasures`)).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/privacy/conversations/:conversationId/subject': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/conversations/${w.conversationId}/subject`)),
  },
  'GET /api/v1/sites/:siteId/privacy/export': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/export`)),
  },
  'GET /api/v1/sites/:siteId/privacy/requests': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/requests`)),
  },
  'GET /api/v1/organizations/:orgId/api-keys': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/api-keys`)),
  },
  'POST /api/v1/organizations/:orgId/api-keys': {
    expected: inOrgA(403, 201, 201),
    call: (w, c) => {
      const body: CreateApiKeyRequest = { name: `Made by ${c}`, scopes: ['sites:read'] };
      return as(w, c, w.http.post(`${orgA(w)}/api-keys`)).send(body);
    },
  },
  'DELETE /api/v1/organizations/:orgId/api-keys/:apiKeyId': {
    expected: inOrgA(403, 204, 204),
    call: async (w, c) => {
      const { apiKey } = await createApiKey(w.http, w.users.owner, ['sites:read'], { name: 'Throwaway' });
      return as(w, c, w.http.delete(`${orgA(w)}/api-keys/${apiKey.id}`));
    },
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
      if (!isPerson(c)) return as(w, c, w.http.delete('/api/v1/auth/me')).send(body);
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
    const keyA = await createApiKey(http, owner, [...EVERY_WRITE_SCOPE], { name: 'Key A' });
    const keyB = await createApiKey(http, ownerB, [...EVERY_WRITE_SCOPE], { name: 'Key B' });
    w = {
      http,
      users: { owner, member, admin, ownerB },
      passwords: { owner: PASSWORD, member: PASSWORD, admin: PASSWORD, ownerB: PASSWORD },
      keys: { keyA: keyA.secret, keyB: keyB.secret },
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

describe('authorization matrix: what limits an API key', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let ownerB: SignedUpUser;
  let siteA: Site;
  let siteB: Site;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http, { name: 'Owner A' });
    admin = await signUp(t.http, { name: 'Admin A' });
    ownerB = await signUp(t.http, { name: 'Owner B' });
    await addMember(t.http, owner, admin, 'admin');
    siteA = await createSite(t.http, owner, { name: 'Site A' });
    siteB = await createSite(t.http, ownerB, { name: 'Site B' });
  });
  afterAll(() => t.close());

  const erasure = (site: Site, key: { secret: string }) => {
    const body: PrivacySubjectRequest = { email: uniqueEmail('subject') };
    return t.http.post(`/api/v1/sites/${site.id}/privacy/erasures`).set(keyAuth(key)).send(body);
  };
  const refusal = (response: Response) => ({
    status: response.status,
    code: (response.body as Partial<ErrorResponse>).code,
  });

  it("refuses a key on another organization's site as if the site did not exist", async () => {
    const key = await createApiKey(t.http, ownerB, ['sites:write', 'privacy:write']);
    expect(refusal(await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(key)))).toEqual({
      status: 404,
      code: 'SITE_NOT_FOUND',
    });
    expect(refusal(await erasure(siteA, key))).toEqual({ status: 404, code: 'SITE_NOT_FOUND' });
    await t.http.get(`/api/v1/sites/${siteB.id}`).set(keyAuth(key)).expect(200);
  });

  it('keeps a key in its own organization even when its creator belongs to another one too', async () => {
    await addMember(t.http, ownerB, owner, 'owner');
    const key = await createApiKey(t.http, owner, ['sites:read']);
    expect(refusal(await t.http.get(`/api/v1/sites/${siteB.id}`).set(keyAuth(key)))).toEqual({
      status: 404,
      code: 'SITE_NOT_FOUND',
    });
    const listed = await t.http
      .get('/api/v1/sites')
      .query({ organizationId: ownerB.organizationId })
      .set(keyAuth(key))
      .expect(200);
    expect((listed.body as Page<Site>).items).toEqual([]);
    const own = await t.http.get('/api/v1/sites').set(keyAuth(key)).expect(200);
    expect((own.body as Page<Site>).items.map((site) => site.id)).toEqual([siteA.id]);
  });

  it('refuses a key without the route’s scope with 403', async () => {
    const key = await createApiKey(t.http, owner, ['conversations:read']);
    expect(refusal(await t.http.get(`/api/v1/sites/${siteA.id}/webhooks`).set(keyAuth(key)))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    await t.http.get(`/api/v1/sites/${siteA.id}/conversations`).set(keyAuth(key)).expect(200);
  });

  it('lets a read key read but not write', async () => {
    const key = await createApiKey(t.http, owner, ['sites:read', 'privacy:read']);
    await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(key)).expect(200);
    const rename: UpdateSiteRequest = { name: 'Renamed by a read key' };
    expect(refusal(await t.http.patch(`/api/v1/sites/${siteA.id}`).set(keyAuth(key)).send(rename))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(refusal(await erasure(siteA, key))).toEqual({ status: 403, code: 'FORBIDDEN' });
    const created: CreateSiteRequest = { organizationId: owner.organizationId, name: 'By a read key' };
    expect(refusal(await t.http.post('/api/v1/sites').set(keyAuth(key)).send(created))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('refuses a revoked key and an expired key with 401', async () => {
    const revoked = await createApiKey(t.http, owner, ['sites:read']);
    await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(revoked)).expect(200);
    await t.http
      .delete(`/api/v1/organizations/${owner.organizationId}/api-keys/${revoked.apiKey.id}`)
      .set(owner.auth)
      .expect(204);
    expect(refusal(await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(revoked)))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });

    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const expiring = await createApiKey(t.http, owner, ['sites:read'], { expiresAt });
    await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(expiring)).expect(200);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    expect(refusal(await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(expiring)))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a made-up key and a key-shaped string with 401', async () => {
    for (const secret of ['ck_nope', `ck_${'A'.repeat(43)}`]) {
      expect(refusal(await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth({ secret })))).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it("limits a key to its creator's current role: demoted, the admin's key loses admin routes", async () => {
    const creator = await signUp(t.http, { name: 'Admin to be demoted' });
    await addMember(t.http, owner, creator, 'admin');
    const key = await createApiKey(t.http, creator, ['sites:write', 'conversations:read'], {
      organizationId: owner.organizationId,
    });
    const rename: UpdateSiteRequest = { name: 'Site A' };
    await t.http.patch(`/api/v1/sites/${siteA.id}`).set(keyAuth(key)).send(rename).expect(200);

    const demote: UpdateMemberRequest = { role: 'member' };
    await t.http
      .patch(`/api/v1/organizations/${owner.organizationId}/members/${creator.userId}`)
      .set(owner.auth)
      .send(demote)
      .expect(200);
    expect(refusal(await t.http.patch(`/api/v1/sites/${siteA.id}`).set(keyAuth(key)).send(rename))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    // What a member may do, the key still may.
    await t.http.get(`/api/v1/sites/${siteA.id}/conversations`).set(keyAuth(key)).expect(200);
  });

  it('stops a key when its creator is removed from the organization', async () => {
    const key = await createApiKey(t.http, admin, ['sites:read'], { organizationId: owner.organizationId });
    await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(key)).expect(200);
    await t.http
      .delete(`/api/v1/organizations/${owner.organizationId}/members/${admin.userId}`)
      .set(owner.auth)
      .expect(204);
    expect(refusal(await t.http.get(`/api/v1/sites/${siteA.id}`).set(keyAuth(key)))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('does not let a key manage keys, members or the account', async () => {
    const key = await createApiKey(t.http, owner, [...EVERY_WRITE_SCOPE]);
    const orgPath = `/api/v1/organizations/${owner.organizationId}`;
    const create: CreateApiKeyRequest = { name: 'Made by a key', scopes: ['sites:read'] };
    for (const response of [
      await t.http.get(`${orgPath}/api-keys`).set(keyAuth(key)),
      await t.http.post(`${orgPath}/api-keys`).set(keyAuth(key)).send(create),
      await t.http.delete(`${orgPath}/api-keys/${key.apiKey.id}`).set(keyAuth(key)),
      await t.http.get(`${orgPath}/members`).set(keyAuth(key)),
      await t.http.get('/api/v1/auth/me').set(keyAuth(key)),
    ]) {
      expect(refusal(response)).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
  });
});
