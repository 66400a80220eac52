import type { AuthResponse } from '@cloop/contracts';

import { createSite, PASSWORD, signUp } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

describe('request logs', () => {
  const lines: string[] = [];
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line) => lines.push(line) } });
  });
  afterAll(() => t.close());

  it('record each request with its id, method, path and status, and no personal data or secrets', async () => {
    const user = await signUp(t.http, { name: 'Logged Person' });
    const site = await createSite(t.http, user, { name: 'Secret Garden Shop' });
    const login = await t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '203.0.113.99')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const { refreshToken, accessToken } = login.body as AuthResponse;
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken }).expect(200);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong password' })
      .expect(401);
    await t.http
      .get(`/api/v1/sites?cursor=${encodeURIComponent(user.email)}`)
      .set(user.auth)
      .expect(400);

    const log = lines.join('');
    const requestIds = [...log.matchAll(/"reqId":"([0-9a-f-]{36})"/g)].map((match) => match[1]);
    expect(requestIds.length).toBeGreaterThanOrEqual(6);
    expect(log).toContain('"path":"/api/v1/auth/login"');
    expect(log).toContain('"statusCode":401');

    for (const secret of [
      user.email,
      PASSWORD,
      'wrong password',
      'Logged Person',
      'Secret Garden Shop',
      site.publicKey,
      user.accessToken,
      user.refreshToken,
      accessToken,
      refreshToken,
      '203.0.113.99',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
