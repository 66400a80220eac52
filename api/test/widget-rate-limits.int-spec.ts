import { randomUUID } from 'node:crypto';

import type { ErrorResponse, SendMessageRequest, Site, WidgetSessionRequest } from '@cloop/contracts';
import type { Response } from 'supertest';

import {
  createSite,
  createVisitorSession,
  getTranscript,
  listAllConversations,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
  visitorHeaders,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

describe('widget rate limits', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;

  const post = (headers: Record<string, string>, body = 'One more question') => {
    const request: SendMessageRequest = { id: randomUUID(), body };
    return t.http.post(route('/api/v1/widget/messages')).set(headers).send(request);
  };
  const expectRateLimited = (response: Response) => {
    expect(response.status).toBe(429);
    expect((response.body as ErrorResponse).code).toBe('RATE_LIMITED');
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    // A sliding window frees room at most one window after the current one ends.
    expect(retryAfter).toBeLessThanOrEqual(120);
  };

  beforeAll(async () => {
    t = await startTestApp({
      rateLimits: {
        visitorMessages: { limit: 3, windowMs: 60_000 },
        newVisitors: { limit: 2, windowMs: 60_000 },
      },
    });
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
  });
  afterAll(() => t.close());

  it("refuses a visitor's 4th message in a minute with 429 and Retry-After, from any IP", async () => {
    const session = await createVisitorSession(t.http, site, { ip: '198.51.100.1' });
    for (let i = 0; i < 3; i++) await post(session.headers).expect(201);

    const refused = await post(session.headers);
    expectRateLimited(refused);
    // The widget may read Retry-After across origins.
    expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(refused.headers['access-control-expose-headers'])).toMatch(/retry-after/i);
    // The limit follows the visitor, not the address.
    expectRateLimited(await post({ ...session.headers, 'X-Forwarded-For': '198.51.100.2' }));

    const { messages } = await getTranscript(t.http, owner, site.id, session.conversation.id);
    expect(messages.filter((m) => m.author === 'visitor')).toHaveLength(3);
  });

  it('answers retries of a stored message without spending the limit, even once it is reached', async () => {
    const session = await createVisitorSession(t.http, site, { ip: '198.51.100.5' });
    const first: SendMessageRequest = { id: randomUUID(), body: 'Sent once, retried twice' };
    await t.http.post(route('/api/v1/widget/messages')).set(session.headers).send(first).expect(201);
    for (let i = 0; i < 2; i++) {
      const retry = await t.http
        .post(route('/api/v1/widget/messages'))
        .set(session.headers)
        .send(first)
        .expect(200);
      expect((retry.body as { seq: number }).seq).toBe(1);
    }
    // The retries cost nothing: two more messages fit in the limit of three.
    await post(session.headers).expect(201);
    await post(session.headers).expect(201);
    expectRateLimited(await post(session.headers));
    // Limited, a retry is still answered with the stored message.
    await t.http.post(route('/api/v1/widget/messages')).set(session.headers).send(first).expect(200);
  });

  it('still lets another visitor post while one visitor is limited', async () => {
    const busy = await createVisitorSession(t.http, site, { ip: '198.51.100.3' });
    for (let i = 0; i < 3; i++) await post(busy.headers).expect(201);
    expectRateLimited(await post(busy.headers));

    const other = await createVisitorSession(t.http, site, { ip: '198.51.100.3' });
    const message = await sendVisitorMessage(t.http, other.headers, 'My turn');
    expect(message.seq).toBe(1);
  });

  it('refuses the third new visitor from one IP with 429 but never a returning visitor', async () => {
    const ip = '198.51.100.20';
    const first = await createVisitorSession(t.http, site, { ip });
    await createVisitorSession(t.http, site, { ip });
    const before = await listAllConversations(t.http, owner, site.id);

    const entry: WidgetSessionRequest = { entryUrl: 'https://shop.example/' };
    const third = visitorHeaders(site, { ip });
    expectRateLimited(await t.http.post(route('/api/v1/widget/session')).set(third).send(entry));
    // A first message would create the visitor just as well: it is refused the same way.
    expectRateLimited(await post(third));
    expect(await listAllConversations(t.http, owner, site.id)).toHaveLength(before.length);

    const returning = await createVisitorSession(t.http, site, { ip, visitorId: first.visitorId });
    expect(returning.conversation.id).toBe(first.conversation.id);
    await sendVisitorMessage(t.http, returning.headers, 'Back again');

    // The same newcomer from another address is welcome.
    const elsewhere = await createVisitorSession(t.http, site, {
      ip: '198.51.100.21',
      visitorId: third['X-Cloop-Visitor'],
    });
    expect(elsewhere.conversation.lastSeq).toBe(0);
  });
});

describe('the per-IP chat limit seen from a browser', () => {
  let t: TestApp;
  let site: Site;

  beforeAll(async () => {
    t = await startTestApp({ rateLimits: { chat: { limit: 2, windowMs: 60_000 } } });
    site = await createSite(t.http, await signUp(t.http), { allowedOrigins: [ORIGIN] });
  });
  afterAll(() => t.close());

  it('lets the widget read the 429 and its Retry-After (CORS headers for the allowed origin)', async () => {
    const headers = { ...visitorHeaders(site), 'X-Forwarded-For': '198.51.100.200' };
    const catchUp = () => t.http.get(`${route('/api/v1/widget/messages')}?after=0`).set(headers);
    await catchUp().expect(200);
    await catchUp().expect(200);

    const refused = await catchUp().expect(429);
    expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(refused.headers['access-control-expose-headers']).toContain('Retry-After');

    const stranger = await catchUp().set('Origin', 'https://evil.example').expect(429);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});
