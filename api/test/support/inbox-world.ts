// The world the inbox specs share: an organization (owner, admin, member), an outsider of another
// organization, two sites, and helpers to list, reply to and change conversations. Each spec file
// calls useInboxWorld() once at its top: a fresh app and database per file, and these bindings
// (live ES-module exports) point at that file's world once its beforeAll has run.
import type { Conversation, ErrorResponse, Page, SendMessageRequest, Site } from '@cloop/contracts';
import { route } from '@cloop/client/route';
import type { Response } from 'supertest';

import {
  addMember,
  createSite,
  createVisitorSession,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
  type VisitorSession,
} from './factories';
import { startTestApp, type TestApp } from './test-app';

export const ORIGIN = 'https://shop.example';

export let t: TestApp;
export let owner: SignedUpUser;
export let admin: SignedUpUser;
export let member: SignedUpUser;
export let outsider: SignedUpUser;
export let site: Site;
export let otherSite: Site;

/** The inbox of a site: its conversations' collection path. */
export const base = (siteId = site.id) => route('/api/v1/sites/{siteId}/conversations', { siteId });
/** One page of the site's inbox, as a member sees it. */
export const list = async (query: Record<string, string>) => {
  const response = await t.http.get(`${base()}?${new URLSearchParams(query).toString()}`).set(member.auth);
  expect(response.status).toBe(200);
  return response.body as Page<Conversation>;
};
export const idsOf = (page: Page<Conversation>) => page.items.map((c) => c.id);
export const reply = (id: string, body: SendMessageRequest, user = member) =>
  t.http
    .post(
      route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
        siteId: site.id,
        conversationId: id,
      }),
    )
    .set(user.auth)
    .send(body);
export const patch = (id: string, body: object, user = member) =>
  t.http
    .patch(
      route('/api/v1/sites/{siteId}/conversations/{conversationId}', {
        siteId: site.id,
        conversationId: id,
      }),
    )
    .set(user.auth)
    .send(body);
export const expectCode = (response: Response, status: number, code: ErrorResponse['code']) => {
  expect(response.status).toBe(status);
  expect((response.body as ErrorResponse).code).toBe(code);
};
/** A visitor conversation on a site with one exchange, settled (the assistant has answered). */
export const conversationWith = async (text: string, on: Site = site): Promise<VisitorSession> => {
  const session = await createVisitorSession(t.http, on);
  await sendAndAwaitAnswer(t.http, session.headers, text);
  return session;
};

/** Starts this file's app and people before its tests, and closes the app after them. */
export function useInboxWorld(): void {
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http, { name: 'Olivia Owner' });
    [admin, member, outsider] = [
      await signUp(t.http, { name: 'Aino Admin' }),
      await signUp(t.http, { name: 'Maija Member' }),
      await signUp(t.http, { name: 'Otto Outsider' }),
    ];
    await addMember(t.http, owner, admin, 'admin');
    await addMember(t.http, owner, member, 'member');
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    otherSite = await createSite(t.http, owner, { name: 'Other shop', allowedOrigins: [ORIGIN] });
  });
  afterAll(() => t.close());
}
