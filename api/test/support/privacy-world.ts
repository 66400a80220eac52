// The world the privacy specs share: an organization (owner, admin, member) with two sites, another
// organization with its own, and helpers to make visitors, export, erase and read the ledger.
// Each spec file calls usePrivacyWorld() once at its top: a fresh app and database per file, and
// these bindings (live ES-module exports) point at that file's world once its beforeAll has run.
import { randomBytes, randomUUID } from 'node:crypto';

import type { ErrorResponse, Page, PrivacyExport, PrivacyRequest, Site } from '@cloop/contracts';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import {
  addMember,
  createSite,
  createVisitorSession,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
  type VisitorSession,
} from './factories';
import { ofType, RealtimeClient } from './realtime-client';
import { startTestApp, type TestApp } from './test-app';
import { route } from '@cloop/client/route';

export const ORIGIN = 'https://shop.example';
export const OTHER_ORIGIN = 'https://other.example';

/** A word no table holds by chance: letters g–z only, so it never matches hex ids or hashes. */
export function marker(length = 10): string {
  const letters = 'ghijklmnopqrstuvwxyz';
  return [...randomBytes(length)].map((byte) => letters[byte % letters.length] ?? 'z').join('');
}

/** The same instant one calendar month later (the day clamped to the month's last), in UTC. */
export function oneMonthAfter(iso: string): string {
  const at = new Date(iso);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  ).toISOString();
}

export let t: TestApp;
export let host: string;
export let db: DataSource;
export let owner: SignedUpUser;
export let admin: SignedUpUser;
export let member: SignedUpUser;
export let otherOwner: SignedUpUser;
export let site: Site;
export let sisterSite: Site;
export let foreignSite: Site;
const sockets: RealtimeClient[] = [];

export const sql = <T>(query: string, params: unknown[] = []) => db.query<T>(query, params);
export const count = async (query: string, params: unknown[] = []) =>
  (await sql<{ count: number }[]>(query, params))[0]?.count ?? -1;
export const exportBy = (body: object, siteId = site.id, user: SignedUpUser = admin) =>
  t.http.post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId })).set(user.auth).send(body);
export const eraseBy = (body: object, siteId = site.id, user: SignedUpUser = admin) =>
  t.http.post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId })).set(user.auth).send(body);
export const documentOf = (response: Response): PrivacyExport => {
  expect(response.status).toBe(200);
  return JSON.parse(response.text) as PrivacyExport;
};
export const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
  expect({ status: response.status, code: (response.body as ErrorResponse).code }).toEqual({
    status,
    code,
  });
};
export const ledger = async (siteId = site.id, user: SignedUpUser = admin): Promise<PrivacyRequest[]> => {
  const items: PrivacyRequest[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await t.http
      .get(`${route('/api/v1/sites/{siteId}/privacy/requests', { siteId })}?${query.toString()}`)
      .set(user.auth)
      .expect(200);
    const page = response.body as Page<PrivacyRequest>;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};
export const visitorRecord = async (on: Site, visitorUuid: string) =>
  (
    await sql<{ id: string }[]>(`SELECT id FROM visitors WHERE site_id = $1 AND visitor_uuid = $2`, [
      on.id,
      visitorUuid,
    ])
  )[0]?.id ?? null;
export const messageIdsOf = async (conversationIds: string[]) =>
  (
    await sql<{ id: string }[]>(
      `SELECT id FROM messages WHERE conversation_id = ANY($1) ORDER BY conversation_id, seq`,
      [conversationIds],
    )
  ).map((row) => row.id);
export const agentReply = (on: Site, conversationId: string, body: string) =>
  t.http
    .post(
      route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
        siteId: on.id,
        conversationId,
      }),
    )
    .set(member.auth)
    .send({ id: randomUUID(), body })
    .expect(201);
export const closeConversation = (on: Site, conversationId: string) =>
  t.http
    .patch(route('/api/v1/sites/{siteId}/conversations/{conversationId}', { siteId: on.id, conversationId }))
    .set(admin.auth)
    .send({ status: 'closed' })
    .expect(200);

export interface Visitor {
  session: VisitorSession;
  conversationIds: string[];
}
/** A visitor with one settled exchange (question, answer) and optionally an email and a reply. */
export const visitorWith = async (
  on: Site,
  text: string,
  options: { visitorId?: string; email?: string; reply?: string; origin?: string } = {},
): Promise<Visitor> => {
  const session = await createVisitorSession(t.http, on, {
    ...(options.visitorId ? { visitorId: options.visitorId } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  });
  await sendAndAwaitAnswer(t.http, session.headers, text);
  if (options.email)
    await t.http
      .put(route('/api/v1/widget/contact'))
      .set(session.headers)
      .send({ email: options.email })
      .expect(200);
  if (options.reply) await agentReply(on, session.conversation.id, options.reply);
  return { session, conversationIds: [session.conversation.id] };
};

export const connect = async (origin?: string) => {
  const socket = await RealtimeClient.connect(host, origin);
  sockets.push(socket);
  return socket;
};
export const visitorSocket = async (on: Site, visitorId: string) => {
  const socket = await connect(on.allowedOrigins[0]);
  socket.send({ type: 'auth', siteKey: on.publicKey, visitorId });
  await socket.next(ofType('ready'));
  return socket;
};
export const consoleSocket = async (user: SignedUpUser, siteId: string) => {
  const socket = await connect();
  socket.send({ type: 'auth', accessToken: user.accessToken });
  await socket.next(ofType('ready'));
  socket.send({ type: 'subscribe', siteId });
  await socket.next(ofType('subscribed'));
  return socket;
};

/** Registers the world's hooks: call once, at the top of a spec file. */
export function usePrivacyWorld(): void {
  beforeAll(async () => {
    t = await startTestApp();
    host = await t.listen();
    db = t.app.get(DataSource);
    owner = await signUp(t.http, { name: 'Olivia Owner' });
    admin = await signUp(t.http, { name: 'Aino Admin' });
    member = await signUp(t.http, { name: 'Maija Member' });
    otherOwner = await signUp(t.http, { name: 'Otto Other' });
    await addMember(t.http, owner, admin, 'admin');
    await addMember(t.http, owner, member, 'member');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN], retentionDays: 45 });
    sisterSite = await createSite(t.http, owner, { name: 'Sister shop', allowedOrigins: [ORIGIN] });
    foreignSite = await createSite(t.http, otherOwner, {
      name: 'Foreign shop',
      allowedOrigins: [OTHER_ORIGIN],
    });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => t.close());
}
