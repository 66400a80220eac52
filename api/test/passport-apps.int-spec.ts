import type { ErrorResponse, Site } from '@cloop/contracts';
import passport from 'passport';

import {
  createSite,
  createVisitorSession,
  type SignedUpUser,
  signUp,
  visitorHeaders,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://shop.example';

/**
 * Passport keeps a process-wide strategy registry; each app authenticates through its own instance
 * instead. Two apps in one process, each with its own secret and database, must each accept exactly
 * their own credentials, also after the other one has stopped.
 */
describe('two apps in one process authenticate independently', () => {
  let first: TestApp;
  let second: TestApp;
  let firstUser: SignedUpUser;
  let secondUser: SignedUpUser;
  let firstSite: Site;

  const me = (t: TestApp, user: SignedUpUser) => t.http.get(route('/api/v1/auth/me')).set(user.auth);
  const widgetConfig = (t: TestApp, site: Site) =>
    t.http.get(route('/api/v1/widget/config')).set({ 'X-Cloop-Site-Key': site.publicKey, Origin: ORIGIN });

  beforeAll(async () => {
    first = await startTestApp();
    firstUser = await signUp(first.http);
    firstSite = await createSite(first.http, firstUser, { allowedOrigins: [ORIGIN] });
    // Started last: a strategy registered process-wide would now be this app's, for both apps.
    second = await startTestApp();
    secondUser = await signUp(second.http);
  }, 120_000); // two apps boot here, each within the usual 60 s
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it("accepts each app's own access token and refuses the other's with 401 UNAUTHENTICATED", async () => {
    expect((await me(first, firstUser)).status).toBe(200);
    expect((await me(second, secondUser)).status).toBe(200);
    for (const response of [await me(first, secondUser), await me(second, firstUser)]) {
      expect(response.status).toBe(401);
      expect((response.body as ErrorResponse).code).toBe('UNAUTHENTICATED');
    }
  });

  it("knows only its own sites' keys on widget routes", async () => {
    expect((await widgetConfig(first, firstSite)).status).toBe(200);
    const elsewhere = await widgetConfig(second, firstSite);
    expect(elsewhere.status).toBe(401);
    expect((elsewhere.body as ErrorResponse).code).toBe('SITE_KEY_INVALID');
    const visitor = await second.http
      .post(route('/api/v1/widget/session'))
      .set(visitorHeaders(firstSite))
      .send({ entryUrl: `${ORIGIN}/` });
    expect((visitor.body as ErrorResponse).code).toBe('SITE_KEY_INVALID');
  });

  it("leaves passport's process-wide instance empty", () => {
    // `PassportStrategy` would have registered every strategy there under passport-custom's name.
    const { _strategy: registered } = passport as unknown as { _strategy(name: string): unknown };
    expect(registered.call(passport, 'custom')).toBeUndefined();
  });

  it('keeps authenticating after the app started last has stopped', async () => {
    await second.close();
    expect((await me(first, firstUser)).status).toBe(200);
    expect((await widgetConfig(first, firstSite)).status).toBe(200);
    expect((await createVisitorSession(first.http, firstSite)).conversation.id).toEqual(expect.any(String));
  });
});
