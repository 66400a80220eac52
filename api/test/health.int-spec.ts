import type { HealthResponse, ReadyResponse } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import { ShutdownState } from '../src/lifecycle/shutdown-state';
import { FakeRedis } from './support/fake-redis';
import { startTestApp, type TestApp } from './support/test-app';

/** Polls readiness until it is 200 again (a client reconnects with a back-off). */
async function waitUntilReady(t: TestApp, timeoutMs = 10_000): Promise<ReadyResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.http.get('/api/ready');
    if (response.status === 200 && (response.body as ReadyResponse).status === 'ok')
      return response.body as ReadyResponse;
    if (Date.now() > deadline) throw new Error(`still not ready: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('health and readiness', () => {
  describe('with every dependency up', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('answers liveness with 200, uncached', async () => {
      const response = await t.http.get('/api/health').expect(200);
      expect(response.body as HealthResponse).toEqual({ status: 'ok' });
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('answers readiness with 200 naming each dependency, uncached', async () => {
      const response = await t.http.get('/api/ready').expect(200);
      expect(response.body as ReadyResponse).toEqual({
        status: 'ok',
        database: 'up',
        redis: process.env['REDIS_URL'] ? 'up' : 'disabled',
        draining: false,
      });
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });

  describe('while draining (SIGTERM)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('is not ready, so load balancers stop sending traffic, but still alive', async () => {
      await t.http.get('/api/ready').expect(200);
      t.app.get(ShutdownState).beginDraining();

      const notReady = await t.http.get('/api/ready').expect(503);
      expect(notReady.body as ReadyResponse).toMatchObject({
        status: 'error',
        database: 'up',
        draining: true,
      });
      await t.http.get('/api/health').expect(200);
    });
  });

  describe('with the database down', () => {
    let t: TestApp;
    let dataSource: DataSource;

    beforeAll(async () => {
      t = await startTestApp();
      dataSource = t.app.get(DataSource);
    });
    afterAll(async () => {
      if (!dataSource.isInitialized) await dataSource.initialize();
      await t.close();
    });

    it('is not ready (503, database down) but still alive, and ready again once it is back', async () => {
      await dataSource.destroy();

      const notReady = await t.http.get('/api/ready').expect(503);
      expect(notReady.body as ReadyResponse).toMatchObject({ status: 'error', database: 'down' });
      await t.http.get('/api/health').expect(200);

      await dataSource.initialize();
      expect(await waitUntilReady(t)).toMatchObject({ status: 'ok', database: 'up' });
    });
  });

  describe('with Redis down', () => {
    let redis: FakeRedis;
    let t: TestApp;

    beforeAll(async () => {
      redis = await FakeRedis.start();
      t = await startTestApp({ env: { REDIS_URL: redis.url } });
    });
    afterAll(async () => {
      await redis.up();
      await t.close();
      await redis.down();
    });

    it('reports Redis down as degraded but stays in rotation (200), and ok again once Redis is back', async () => {
      expect((await t.http.get('/api/ready').expect(200)).body as ReadyResponse).toEqual({
        status: 'ok',
        database: 'up',
        redis: 'up',
        draining: false,
      });

      await redis.down();

      const degraded = await t.http.get('/api/ready').expect(200);
      expect(degraded.body as ReadyResponse).toEqual({
        status: 'degraded',
        database: 'up',
        redis: 'down',
        draining: false,
      });
      await t.http.get('/api/health').expect(200);

      await redis.up();
      expect(await waitUntilReady(t)).toEqual({ status: 'ok', database: 'up', redis: 'up', draining: false });
    });
  });
});
