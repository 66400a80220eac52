import type { AuthResponse } from '@cloop/contracts';

import { createSite, PASSWORD, signUp } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

describe('request logs', () => {
  const lines: string[] = [];
  let t: TestApp;

  let boot: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line) => lines.push(line) } });
    boot = [...lines];
  });
  afterAll(() => t.close());

  it('record each request with its id, method, path and status, and no personal data or secrets', async () => {
    const user = await signUp(t.http, { name: 'Logged Person' });
    const site = await createSite(t.http, user, { name: 'Secret Garden Shop' });
    const login = await t.http
      .post(route('/api/v1/auth/login'))
      .set('X-Forwarded-For', '203.0.113.99')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const { refreshToken, accessToken } = login.body as AuthResponse;
    await t.http.post(route('/api/v1/auth/refresh')).send({ refreshToken }).expect(200);
    await t.http
      .post(route('/api/v1/auth/login'))
      .send({ email: user.email, password: 'wrong password' })
      .expect(401);
    await t.http
      .get(`${route('/api/v1/sites')}?cursor=${encodeURIComponent(user.email)}`)
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

  it('write one line per request, in the same JSON shape as every other line, with no route table at info', async () => {
    lines.length = 0;
    await t.http.get('/api/health').expect(200);

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofHealth = records.filter((record) => JSON.stringify(record).includes('"path":"/api/health"'));
    expect(ofHealth).toHaveLength(1);
    expect(ofHealth[0]).toMatchObject({ level: 30, msg: 'request completed', res: { statusCode: 200 } });
    expect(ofHealth[0]?.['responseTime']).toEqual(expect.any(Number));
  });

  it('kept the start-up route table out of the info log', () => {
    // `lines` was emptied above; the boot lines are checked in their own app.
    expect(boot.join('')).not.toContain('Mapped {');
    for (const line of boot)
      expect(JSON.parse(line)).toEqual(
        expect.objectContaining({ level: expect.any(Number), time: expect.any(Number) }),
      );
  });
});
