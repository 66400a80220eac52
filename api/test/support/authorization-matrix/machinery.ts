import { randomUUID } from 'node:crypto';

import {
  API_KEY_AREAS,
  type ApiKeyScope,
  type AuthResponse,
  type CreateKnowledgeSourceRequest,
  type CreateWebhookRequest,
  type ErrorResponse,
  type InviteMemberRequest,
  type KnowledgeSource,
  type InviteMemberResponse,
  type LoginRequest,
  type Message,
  type SendMessageRequest,
  type Site,
  type WebhookEndpointWithSecret,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
} from '@cloop/contracts';
import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

import {
  addMember,
  createApiKey,
  createSite,
  PASSWORD,
  type SignedUpUser,
  signUp,
  uniqueEmail,
} from '../factories';
import { startTestApp, type TestApp } from '../test-app';
import { route } from '@cloop/client/route';

/**
 * The authorization matrix's machinery: the callers, the world every row acts in, the helpers
 * rows share and the runner. The rows live by area next to this file; every /api/ route must have
 * one (authorization-matrix.int-spec.ts checks it).
 */
export type Person = 'member' | 'admin' | 'owner' | 'ownerB';
/** API keys with every scope: `keyA` created by org A's owner, `keyB` by org B's. */
export type KeyCaller = 'keyA' | 'keyB';
export type Caller = 'anonymous' | Person | KeyCaller;
export const CALLERS: readonly Caller[] = ['anonymous', 'member', 'admin', 'owner', 'ownerB', 'keyA', 'keyB'];
export const isPerson = (caller: Caller): caller is Person =>
  caller !== 'anonymous' && !caller.startsWith('key');

/** Everything a row needs; `users` and `passwords` change when a caller changes their password. */
export interface World {
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

export interface Row {
  expected: Record<Caller, number>;
  /** Sends a request that is valid for the route, against org A / site A, with fresh targets where it destroys. */
  call(w: World, caller: Caller): Promise<Response>;
}

export const everyone = (status: number): Record<Caller, number> => ({
  anonymous: status,
  member: status,
  admin: status,
  owner: status,
  ownerB: status,
  keyA: status,
  keyB: status,
});
/** People only: an API key is refused (403) on account, member and API-key routes. */
export const signedIn = (status: number): Record<Caller, number> => ({
  ...everyone(status),
  anonymous: 401,
  keyA: 403,
  keyB: 403,
});
/** Org A's own roles get the given statuses; outsiders do not learn that the resource exists. */
export const inOrgA = (member: number, admin: number, owner: number): Record<Caller, number> => ({
  anonymous: 401,
  member,
  admin,
  owner,
  ownerB: 404,
  keyA: 403,
  keyB: 403,
});
/** A route that takes API keys: org A's key does what its creator (the owner) may; org B's, what org B's owner may. */
export const keyed = (expected: Record<Caller, number>): Record<Caller, number> => ({
  ...expected,
  keyA: expected.owner,
  keyB: expected.ownerB,
});

export const authOf = (w: World, caller: Caller): Record<string, string> => {
  if (caller === 'anonymous') return {};
  return isPerson(caller) ? w.users[caller].auth : { Authorization: `Bearer ${w.keys[caller]}` };
};
export const as = (w: World, caller: Caller, test: Test): Test => test.set(authOf(w, caller));
export const orgA = (w: World): string =>
  route('/api/v1/organizations/{orgId}', { orgId: w.users.owner.organizationId });

export async function freshSession(w: World): Promise<AuthResponse> {
  const body: LoginRequest = { email: w.bystander.email, password: PASSWORD };
  return (await w.http.post(route('/api/v1/auth/login')).send(body).expect(200)).body as AuthResponse;
}

export async function freshInvitationId(w: World): Promise<string> {
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

export async function freshMemberOfA(w: World): Promise<SignedUpUser> {
  const member = await signUp(w.http, { name: 'Throwaway' });
  await addMember(w.http, w.users.owner, member, 'member');
  return member;
}

export const freshSiteA = (w: World): Promise<Site> =>
  createSite(w.http, w.users.owner, { name: 'Throwaway site' });

export const SITE_A_ORIGIN = 'https://shop-a.example';
export const EVERY_WRITE_SCOPE: readonly ApiKeyScope[] = API_KEY_AREAS.map(
  (area): ApiKeyScope => `${area}:write`,
);
export const WIDGET_PATHS = [
  'config',
  'session',
  'unread',
  'messages',
  'contact',
  'seen',
  'privacy',
  'privacy/export',
] as const;
export const PREFLIGHT_METHOD: Record<(typeof WIDGET_PATHS)[number], string> = {
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
export const widgetHeaders = (w: Pick<World, 'siteA'>): Record<string, string> => ({
  'X-Cloop-Site-Key': w.siteA.publicKey,
  Origin: SITE_A_ORIGIN,
  'X-Cloop-Visitor': randomUUID(),
});
/** The caller's bearer token (which the widget API ignores) and the widget's own headers. */
export const asWidget = (w: World, caller: Caller, test: Test): Test =>
  as(w, caller, test).set(widgetHeaders(w));
export const conversationsOfA = (w: World): string =>
  route('/api/v1/sites/{siteId}/conversations', { siteId: w.siteA.id });
/** A knowledge source on site A that a row may delete. */
export async function freshSourceId(w: World): Promise<string> {
  const body: CreateKnowledgeSourceRequest = { type: 'qa', question: 'Throwaway?', answer: 'Yes.' };
  const response = await w.http
    .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: w.siteA.id }))
    .set(w.users.owner.auth)
    .send(body)
    .expect(201);
  return (response.body as KnowledgeSource).id;
}

/** A disabled endpoint on site A (nothing is sent to it); a row may delete it. */
export async function freshWebhookId(w: Pick<World, 'http' | 'siteA' | 'users'>): Promise<string> {
  const body: CreateWebhookRequest = {
    url: 'https://hooks.example/cloop',
    events: ['lead.captured'],
    enabled: false,
  };
  const response = await w.http
    .post(route('/api/v1/sites/{siteId}/webhooks', { siteId: w.siteA.id }))
    .set(w.users.owner.auth)
    .send(body)
    .expect(201);
  return (response.body as WebhookEndpointWithSecret).webhook.id;
}

/** A new visitor opens a conversation on site A through the widget API and says hello. */
export async function freshConversationId(w: Pick<World, 'http' | 'siteA'>): Promise<string> {
  const visitor = widgetHeaders(w);
  const session: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/pricing` };
  const opened = await w.http.post(route('/api/v1/widget/session')).set(visitor).send(session).expect(200);
  const message: SendMessageRequest = { id: randomUUID(), body: 'Hello' };
  await w.http.post(route('/api/v1/widget/messages')).set(visitor).send(message).expect(201);
  return (opened.body as WidgetSessionResponse).conversation.id;
}

/** A new visitor asks a question on site A; its message id is what the unanswered list names. */
export async function freshQuestionId(w: Pick<World, 'http' | 'siteA'>): Promise<string> {
  const visitor = widgetHeaders(w);
  const session: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/pricing` };
  await w.http.post(route('/api/v1/widget/session')).set(visitor).send(session).expect(200);
  const message: SendMessageRequest = { id: randomUUID(), body: 'Do you ship to the moon?' };
  const sent = await w.http.post(route('/api/v1/widget/messages')).set(visitor).send(message).expect(201);
  return (sent.body as Message).id;
}

/** The code a refusal must carry, so that e.g. a mistyped path (404 ROUTE_NOT_FOUND) cannot pass for a 404. */
const REFUSAL_CODES: Record<number, RegExp> = {
  // SSO_FAILED and SSO_NOT_CONFIGURED: the public single sign-on routes, for everyone alike.
  401: /^(UNAUTHENTICATED|SSO_FAILED)$/,
  403: /^FORBIDDEN$/,
  404: /^((ORGANIZATION|SITE|INVITATION)_NOT_FOUND|SSO_NOT_CONFIGURED)$/,
};

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

/** Org A (owner, admin, member), org B's owner, a bystander, site A with a conversation, a source and a webhook, and a key per org. */
async function buildWorld(http: TestAgent): Promise<World> {
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
  const w: World = {
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
  return w;
}

/**
 * One area's rows of the matrix, each route called by every caller on an app of the file's own,
 * in the order the rows are listed (a row may change the world for the rows after it). `more`
 * adds the area's own tests; every file checks that none of its responses set a cookie.
 */
export function describeMatrix(
  title: string,
  matrix: Record<string, Row>,
  more?: (world: () => World) => void,
): void {
  const cases = Object.entries(matrix).flatMap(([route, row]) =>
    CALLERS.map((caller): [string, Caller, number] => [route, caller, row.expected[caller]]),
  );

  describe(title, () => {
    let t: TestApp;
    let w: World;
    const seen: Response[] = [];

    beforeAll(async () => {
      t = await startTestApp();
      w = await buildWorld(recording(t.http, seen));
    });
    afterAll(() => t.close());

    it.each(cases)('%s as %s → %i', async (route, caller, expected) => {
      const row = matrix[route];
      if (!row) throw new Error(`no row for ${route}`);
      const response = await row.call(w, caller);
      const refusal = REFUSAL_CODES[expected];
      const { code } = response.body as Partial<ErrorResponse>;
      expect({ status: response.status, code }).toEqual({
        status: expected,
        code: refusal ? (expect.stringMatching(refusal) as unknown) : code,
      });
    });

    more?.(() => w);

    it('sets no cookie on any response in this file', () => {
      expect(seen.length).toBeGreaterThan(cases.length);
      const cookies = seen
        .map((response) => (response.headers as Record<string, unknown>)['set-cookie'])
        .filter((cookie) => cookie !== undefined);
      expect(cookies).toEqual([]);
    });
  });
}
